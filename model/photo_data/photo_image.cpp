#include "model/photo_data/photo_image.h"

#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "model/io/atomic_file.h"

namespace fieldscope {

Rgb8Image readRgb8(const std::filesystem::path& path) {
  int w = 0, h = 0, n = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> data(stbi_load(path.c_str(), &w, &h, &n, 3), stbi_image_free);
  if (!data) {
    const char* why = stbi_failure_reason();
    throw std::runtime_error("cannot read the photo '" + path.string() + "': " + (why ? why : "unknown error"));
  }
  if (w <= 0 || h <= 0) throw std::runtime_error("the photo '" + path.string() + "' has no pixels");
  Rgb8Image image{w, h, {}};
  image.pixels.assign(data.get(), data.get() + std::size_t(w) * std::size_t(h) * 3);
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
  writeFileAtomically(path, [&](const std::filesystem::path& tmp) {
    if (!stbi_write_png(tmp.c_str(), image.width, image.height, 3, image.pixels.data(), image.width * 3))
      throw std::runtime_error("PNG encoder could not write the file (disk full or no permission?)");
  });
}

}  // namespace fieldscope
