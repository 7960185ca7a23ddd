#pragma once
// SHA-256 (FIPS 180-4) of a file, for the provenance a model card records (an imported file's
// source checkpoints, model/image/ddmi_import.h). Streams the file in 1 MiB pieces.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace fieldscope {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t n);
  std::string hex();  // finishes; the object is spent afterwards

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t used_ = 0;
  uint64_t bytes_ = 0;
};

// The file's digest as 64 lowercase hex digits. `progress(done, total)` after each piece, if set.
// Throws std::runtime_error naming the file when it cannot be read.
std::string sha256File(const std::filesystem::path& path,
                       const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace fieldscope
