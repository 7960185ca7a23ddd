#pragma once
// PNG files of 8-bit RGB(A) pixels (no torch here: the viewer's screenshot path uses it too).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fieldscope {

struct Rgba8Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width*height*4, row-major, top row first
};

// Writes atomically (temporary file + rename; every write checked, model/io/atomic_file.h).
// Throws std::runtime_error naming the file ("the disk is full" when that is the cause).
void writePng(const std::filesystem::path& path, const Rgba8Image& image, bool keepAlpha = false);

// The PNG's bytes (RGB, or RGBA with keepAlpha). Throws on an empty or mis-sized image.
std::string encodePng(const Rgba8Image& image, bool keepAlpha = false);

// An exported picture and its JSON sidecar (PATH.json) together: both are written or neither is
// (writeFilesAtomically); a previous pair stays as it was on failure.
void writePngWithSidecar(const std::filesystem::path& path, const Rgba8Image& image, const std::string& sidecarJson);

// Reads any PNG/JPEG that stb_image understands, converted to RGBA8 (grey and
// grey+alpha are expanded). Throws std::runtime_error naming the file and the problem.
Rgba8Image readImageRgba8(const std::filesystem::path& path);

}  // namespace fieldscope
