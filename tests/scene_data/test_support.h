#pragma once
// Shared by the NeRF scene data tests: a fresh temporary folder per test, small PNG and JSON writers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/io/png_encode.h"
#include "../temp_root.h"

namespace fieldscope::test {

inline std::filesystem::path freshTempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return freshTempSubdir("fieldscope-scene-data", std::string(info->test_suite_name()) + "." + info->name());
}

inline void writeText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// An RGBA8 PNG of one colour.
inline void writeRgbaPng(const std::filesystem::path& path, int width, int height, std::uint8_t r, std::uint8_t g,
                         std::uint8_t b, std::uint8_t a) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(width) * height * 4);
  for (std::size_t i = 0; i < px.size(); i += 4) px[i] = r, px[i + 1] = g, px[i + 2] = b, px[i + 3] = a;
  writeText(path, encodePngBytes(width, height, 4, px.data(), width * 4));
}

}  // namespace fieldscope::test
