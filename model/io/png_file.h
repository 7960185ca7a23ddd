#pragma once
// PNG files of 8-bit RGB(A) pixels (no torch here: the viewer's screenshot path uses it too).
#include <cstdint>
#include <filesystem>
#include <vector>

namespace fieldscope {

struct Rgba8Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width*height*4, row-major, top row first
};

// Writes atomically (temporary file + rename). Throws std::runtime_error naming the file.
void writePng(const std::filesystem::path& path, const Rgba8Image& image, bool keepAlpha = false);

// Reads any PNG/JPEG that stb_image understands, converted to RGBA8 (grey and
// grey+alpha are expanded). Throws std::runtime_error naming the file and the problem.
Rgba8Image readImageRgba8(const std::filesystem::path& path);

}  // namespace fieldscope
