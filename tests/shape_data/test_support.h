#pragma once
// Shared by the shape data tests: a fresh temporary folder per test, whole-file reads, and a
// sphere mesh from the project's marching cubes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "model/shape_data/solid_mesh.h"

namespace fieldscope::test {

inline std::filesystem::path freshTempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("fieldscope-shape-data-" + std::to_string(::getpid())) /
                                    (std::string(info->test_suite_name()) + "." + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A closed, outward-oriented sphere of radius ~0.5 centred on the origin.
inline Mesh sphereMesh(int resolution) { return meshSolid(Solid::sphere(1.0), {resolution})->mesh; }

}  // namespace fieldscope::test

namespace fieldscope::test {
inline std::size_t entriesIn(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(
      std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator{}));
}
}  // namespace fieldscope::test
