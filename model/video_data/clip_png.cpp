#include "model/video_data/clip_png.h"

#include <stb_image.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "model/io/atomic_file.h"
#include "model/io/png_encode.h"

namespace fieldscope {
namespace {

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace

void writeClipPng(const std::filesystem::path& path, const Clip& clip) {
  const int width = clip.frames * clip.size;
  if (clip.frames < 1 || clip.size < 1 || clip.rgb.size() != static_cast<std::size_t>(clip.frames) * clip.frameBytes())
    throw std::runtime_error("cannot write " + quoted(path) + ": the clip's pixels do not match its frames and size");
  // Frame k's row y goes to columns [k*S, (k+1)*S) of row y.
  std::vector<uint8_t> strip(clip.rgb.size());
  const std::size_t row = static_cast<std::size_t>(clip.size) * 3;
  for (int k = 0; k < clip.frames; ++k)
    for (int y = 0; y < clip.size; ++y)
      std::copy_n(clip.frame(k) + y * row, row, strip.data() + (static_cast<std::size_t>(y) * width + static_cast<std::size_t>(k) * clip.size) * 3);
  std::string bytes;
  try {
    bytes = encodePngBytes(width, clip.size, 3, strip.data(), width * 3);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write " + quoted(path) + ": " + e.what());
  }
  writeBytesAtomically(path, bytes);
}

Clip readClipPng(const std::filesystem::path& path, int frames, int size, const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("clip " + quoted(path) + " is missing or cannot be opened");
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  int w = 0, h = 0, channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &w, &h, &channels, 3),
      stbi_image_free);
  if (!pixels) {
    const char* why = stbi_failure_reason();
    throw std::runtime_error("clip " + quoted(path) + " is not a readable PNG (" + (bytes.empty() ? "empty file" : why ? why : "corrupt") + ")");
  }
  if (w != frames * size || h != size)
    throw std::runtime_error("clip " + quoted(path) + " is " + std::to_string(w) + "x" + std::to_string(h) + " pixels; the data set's " +
                             std::to_string(frames) + " frames of " + std::to_string(size) + "x" + std::to_string(size) + " make " +
                             std::to_string(frames * size) + "x" + std::to_string(size));
  Clip clip;
  clip.name = name;
  clip.frames = frames;
  clip.size = size;
  clip.rgb.resize(static_cast<std::size_t>(frames) * clip.frameBytes());
  const std::size_t row = static_cast<std::size_t>(size) * 3;
  for (int k = 0; k < frames; ++k)
    for (int y = 0; y < size; ++y)
      std::copy_n(pixels.get() + (static_cast<std::size_t>(y) * w + static_cast<std::size_t>(k) * size) * 3, row, clip.frame(k) + y * row);
  return clip;
}

}  // namespace fieldscope
