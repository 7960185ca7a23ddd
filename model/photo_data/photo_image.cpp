#include "model/photo_data/photo_image.h"

#include <stb_image_resize.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "model/io/atomic_file.h"
#include "model/io/png_encode.h"
#include "model/photo_data/photo_pixels.h"

namespace fieldscope {

Rgb8Image readRgb8(const std::filesystem::path& path) {
  // One reader of users' pictures (photo_pixels.h: libpng, libav's JPEG decoder, EXIF
  // orientation); here 8-bit RGB: 16-bit samples keep their high byte, alpha is dropped.
  const PhotoPixels p = readPhotoPixels(path);
  Rgb8Image image{p.width, p.height, std::vector<std::uint8_t>(std::size_t(p.width) * std::size_t(p.height) * 3)};
  const std::size_t n = std::size_t(p.width) * std::size_t(p.height);
  const int shift = p.bitDepth == 16 ? 8 : 0;
  for (std::size_t i = 0; i < n; ++i)
    for (int c = 0; c < 3; ++c) image.pixels[i * 3 + c] = std::uint8_t(p.samples[i * p.channels + c] >> shift);
  return image;
}

Rgb8Image resizeBicubic(const Rgb8Image& image, int width, int height) {
  if (width < 1 || height < 1 || image.width < 1 || image.height < 1)
    throw std::invalid_argument("resizeBicubic: empty image or size");
  Rgb8Image out{width, height, std::vector<std::uint8_t>(std::size_t(width) * std::size_t(height) * 3)};
  // Linear-light would darken thin bright lines less, but the training pairs and the bicubic
  // baseline must use the same filter; plain sRGB values it is (as every SR benchmark does).
  if (!stbir_resize_uint8_generic(image.pixels.data(), image.width, image.height, 0, out.pixels.data(), width, height, 0,
                                  3, STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_FILTER_CATMULLROM,
                                  STBIR_COLORSPACE_LINEAR, nullptr))
    throw std::runtime_error("resizeBicubic: stb_image_resize failed");
  return out;
}

Rgb8Image cropRgb8(const Rgb8Image& image, int x, int y, int w, int h) {
  if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > image.width || y + h > image.height)
    throw std::invalid_argument("cropRgb8: rectangle outside the image");
  Rgb8Image out{w, h, std::vector<std::uint8_t>(std::size_t(w) * std::size_t(h) * 3)};
  for (int r = 0; r < h; ++r)
    std::memcpy(&out.pixels[std::size_t(r) * std::size_t(w) * 3],
                &image.pixels[(std::size_t(y + r) * std::size_t(image.width) + std::size_t(x)) * 3], std::size_t(w) * 3);
  return out;
}

void writeRgb8Png(const std::filesystem::path& path, const Rgb8Image& image) {
  std::string png;
  try {
    png = encodePngBytes(image.width, image.height, 3, image.pixels.data(), image.width * 3);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write '" + path.string() + "': " + e.what());
  }
  writeBytesAtomically(path, png);
}

}  // namespace fieldscope
