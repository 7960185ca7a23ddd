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
#include <system_error>

namespace fieldscope::fuzz {

// The input written to one file per process (rewritten for each input), named with `extension`
// for loaders that look at it; removed when the process exits normally (the end of a timed run or
// of a corpus replay), so fuzz runs leave nothing in /tmp.
inline std::filesystem::path asFile(const uint8_t* data, size_t size, const std::string& extension) {
  struct RemovedAtExit {
    std::filesystem::path path;
    ~RemovedAtExit() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  };
  static const RemovedAtExit file{std::filesystem::temp_directory_path() /
                                  ("fieldscope-fuzz-" + std::to_string(getpid()) + extension)};
  const std::filesystem::path& path = file.path;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace fieldscope::fuzz
