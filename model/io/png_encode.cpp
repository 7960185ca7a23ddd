#include "model/io/png_encode.h"

#include <stb_image_write.h>

#include <stdexcept>

namespace fieldscope {
namespace {
void appendBytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}
}  // namespace

std::string encodePngBytes(int width, int height, int channels, const std::uint8_t* pixels, int strideBytes) {
  if (width < 1 || height < 1 || channels < 1 || channels > 4 || !pixels)
    throw std::runtime_error("the PNG encoder was given no pixels");
  std::string bytes;
  if (!stbi_write_png_to_func(appendBytes, &bytes, width, height, channels, pixels, strideBytes))
    throw std::runtime_error("the PNG encoder failed (out of memory?)");
  return bytes;
}

}  // namespace fieldscope
