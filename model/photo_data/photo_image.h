#pragma once
// An 8-bit RGB photo in memory, read from JPEG/PNG, resized with an antialiased bicubic filter
// (Catmull-Rom, widened when shrinking), written as PNG (docs/architecture.md "Photo crops").
#include <cstdint>
#include <filesystem>
#include <vector>

namespace fieldscope {

struct Rgb8Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // width*height*3, row-major, top row first
};

// Through readPhotoPixels (photo_pixels.h), EXIF orientation applied, 16-bit and alpha reduced
// to 8-bit RGB. Throws std::runtime_error naming the file: missing, not a PNG/JPEG, broken.
Rgb8Image readRgb8(const std::filesystem::path& path);
// Antialiased bicubic resize to width x height (both >= 1).
Rgb8Image resizeBicubic(const Rgb8Image& image, int width, int height);
// The rectangle [x, x+w) x [y, y+h), which must lie inside the image.
Rgb8Image cropRgb8(const Rgb8Image& image, int x, int y, int w, int h);
// Atomic (temporary file + rename). Throws std::runtime_error naming the file.
void writeRgb8Png(const std::filesystem::path& path, const Rgb8Image& image);

}  // namespace fieldscope
