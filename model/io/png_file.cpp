#include "model/io/png_file.h"

#include <stb_image.h>

#include <stdexcept>
#include <string>

#include "model/io/atomic_file.h"
#include "model/io/png_encode.h"

namespace fieldscope {

void writePng(const std::filesystem::path& path, const Rgba8Image& image, bool keepAlpha) {
  std::string png;
  try {
    png = encodePng(image, keepAlpha);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write '" + path.string() + "': " + e.what());
  }
  writeBytesAtomically(path, png);
}

std::string encodePng(const Rgba8Image& image, bool keepAlpha) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * 4)
    throw std::runtime_error("the image has no pixels or a wrong size");
  if (keepAlpha) return encodePngBytes(image.width, image.height, 4, image.pixels.data(), image.width * 4);
  std::vector<uint8_t> packed(static_cast<size_t>(image.width) * image.height * 3);
  for (size_t i = 0, n = static_cast<size_t>(image.width) * image.height; i < n; ++i)
    for (int c = 0; c < 3; ++c) packed[i * 3 + c] = image.pixels[i * 4 + c];
  return encodePngBytes(image.width, image.height, 3, packed.data(), image.width * 3);
}

void writePngWithSidecar(const std::filesystem::path& path, const Rgba8Image& image, const std::string& sidecarJson) {
  std::string png;
  try {
    png = encodePng(image, false);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write '" + path.string() + "': " + e.what());
  }
  writeFilesAtomically({{path, std::move(png)}, {std::filesystem::path(path.string() + ".json"), sidecarJson}});
}

Rgba8Image readImageRgba8(const std::filesystem::path& path) {
  int w = 0, h = 0, n = 0;
  stbi_uc* px = stbi_load(path.c_str(), &w, &h, &n, 4);
  if (!px) {
    const char* why = stbi_failure_reason();
    throw std::runtime_error("cannot read image '" + path.string() + "': " + (why ? why : "unknown error"));
  }
  Rgba8Image img;
  img.width = w;
  img.height = h;
  img.pixels.assign(px, px + static_cast<size_t>(w) * h * 4);
  stbi_image_free(px);
  return img;
}

}  // namespace fieldscope
