#include "model/io/png_file.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <stdexcept>
#include <string>

#include "model/io/atomic_file.h"

namespace fieldscope {

void writePng(const std::filesystem::path& path, const Rgba8Image& image, bool keepAlpha) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * 4)
    throw std::runtime_error("cannot write '" + path.string() + "': image has no pixels or a wrong size");
  std::vector<uint8_t> packed;
  const uint8_t* data = image.pixels.data();
  int channels = 4;
  if (!keepAlpha) {
    packed.resize(static_cast<size_t>(image.width) * image.height * 3);
    for (size_t i = 0, n = static_cast<size_t>(image.width) * image.height; i < n; ++i)
      for (int c = 0; c < 3; ++c) packed[i * 3 + c] = image.pixels[i * 4 + c];
    data = packed.data();
    channels = 3;
  }
  writeFileAtomically(path, [&](const std::filesystem::path& tmp) {
    if (!stbi_write_png(tmp.c_str(), image.width, image.height, channels, data, image.width * channels))
      throw std::runtime_error("PNG encoder could not write the file (disk full or no permission?)");
  });
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
