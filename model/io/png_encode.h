#pragma once
// PNG bytes in memory (docs/architecture.md "Writing files"): every PNG the project writes is
// encoded here first and then written by the checked atomic writer (atomic_file.h), so a full disk
// is an error with a reason, never a truncated file reported as written. Torch-free.
#include <cstdint>
#include <string>

namespace fieldscope {

// 8-bit pixels, `channels` 1..4 interleaved, rows `strideBytes` apart, top row first.
// Throws std::runtime_error if the encoder fails.
std::string encodePngBytes(int width, int height, int channels, const std::uint8_t* pixels, int strideBytes);

}  // namespace fieldscope
