#pragma once
// Shared by the video data tests: whole-file reads, a folder's files, pixel distances, and a
// short MP4 made with the project's own writer (its frames: tests/video_io/test_support.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "model/video_data/clip.h"
#include "model/video_io/mp4_writer.h"
#include "tests/video_io/test_support.h"

namespace fieldscope::test {

inline std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Every file below `dir` (relative path -> bytes).
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[std::filesystem::relative(e.path(), dir).generic_string()] = readAll(e.path());
  return files;
}

// Root-mean-square difference of frames a and b of a clip, in 8-bit levels.
inline double frameRms(const Clip& clip, int a, int b) {
  double se = 0;
  for (std::size_t i = 0; i < clip.frameBytes(); ++i) {
    const double d = double(clip.frame(a)[i]) - double(clip.frame(b)[i]);
    se += d * d;
  }
  return std::sqrt(se / double(clip.frameBytes()));
}

// `frames` frames of SyntheticClip (moving gradients) as a width x height MP4.
inline std::filesystem::path writeTestMp4(const std::filesystem::path& file, int frames, int width = 96, int height = 64) {
  SyntheticClip clip(width, height);
  Mp4Settings s;
  s.width = width;
  s.height = height;
  s.preset = "veryfast";
  writeMp4(file, s, frames, clip.provider());
  return file;
}

inline void copyPrefix(const std::filesystem::path& from, const std::filesystem::path& to, std::size_t bytes) {
  const std::string data = readAll(from);
  std::ofstream(to, std::ios::binary).write(data.data(), static_cast<std::streamsize>(std::min(bytes, data.size())));
}

// Expects `run` to throw std::runtime_error whose message contains every one of `parts`.
template <class F>
void expectErrorNaming(F&& run, std::initializer_list<std::string> parts) {
  try {
    run();
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    for (const std::string& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what() << "\n  lacks: " << p;
  }
}

}  // namespace fieldscope::test
