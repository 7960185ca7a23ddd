#pragma once
// Helpers the fuzz targets share (tests/fuzz/README.md): the input as a file for loaders that
// take a path, and the rule every target follows -- a loader may reject any input with a
// std::exception naming the problem; anything else (a crash, a sanitizer report, a hang, an
// uncaught exception) is a bug.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace fieldscope::fuzz {

// The input written to one file per process (rewritten for each input), named with `extension`
// for loaders that look at it.
inline std::filesystem::path asFile(const uint8_t* data, size_t size, const std::string& extension) {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("fieldscope-fuzz-" + std::to_string(getpid()) + extension);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace fieldscope::fuzz
