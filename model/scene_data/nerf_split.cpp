#include "model/scene_data/nerf_split.h"

#include <cmath>
#include <memory>
#include <stdexcept>
#include <stb_image.h>

namespace fieldscope {
namespace fs = std::filesystem;
namespace {

std::string frameWhere(const NerfSplit& s, std::size_t i) { return nerfFrameWhere(s.json, i, s.views[i].file); }

fs::path existingImage(const NerfSplit& s, std::size_t i) {
  const fs::path file = nerfImagePath(s.json, s.views[i].file);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw std::runtime_error(frameWhere(s, i) + "its image '" + file.string() + "' is missing");
  return file;
}

void checkSize(const NerfSplit& s, std::size_t i, int width, int height, int width0, int height0) {
  if (i > 0 && (width != width0 || height != height0))
    throw std::runtime_error(frameWhere(s, i) + "its image is " + std::to_string(width) + "x" + std::to_string(height) +
                             ", frame 0's is " + std::to_string(width0) + "x" + std::to_string(height0) +
                             " (every view of a split must have one size)");
}

NerfSplit readJson(const fs::path& folder, const std::string& split) {
  NerfTransforms t = readNerfTransforms(nerfTransformsPath(folder, split));
  NerfSplit s;
  s.json = std::move(t.json);
  s.cameraAngleX = t.cameraAngleX;
  s.views = std::move(t.views);
  return s;
}

// The picture's pixels, RGBA8 (stb expands grey and RGB; 16-bit PNGs are reduced to 8 bits).
struct Pixels {
  std::unique_ptr<unsigned char, void (*)(void*)> data{nullptr, stbi_image_free};
  int width = 0, height = 0;
};

Pixels decode(const NerfSplit& s, std::size_t i) {
  const fs::path file = existingImage(s, i);
  Pixels p;
  int channels = 0;
  p.data.reset(stbi_load(file.c_str(), &p.width, &p.height, &channels, 4));
  if (!p.data) {
    const char* why = stbi_failure_reason();
    throw std::runtime_error(frameWhere(s, i) + "its image '" + file.string() + "' cannot be read (" +
                             (why ? why : "unknown reason") + ")");
  }
  return p;
}

}  // namespace

double NerfSplit::focal() const { return 0.5 * width / std::tan(0.5 * double(cameraAngleX)); }

fs::path nerfTransformsPath(const fs::path& folder, const std::string& split) {
  return folder / ("transforms_" + split + ".json");
}

NerfSplit checkNerfSplit(const fs::path& folder, const std::string& split) {
  NerfSplit s = readJson(folder, split);
  for (std::size_t i = 0; i < s.views.size(); ++i) {
    const fs::path file = existingImage(s, i);
    int width = 0, height = 0, channels = 0;
    if (!stbi_info(file.c_str(), &width, &height, &channels) || width < 1 || height < 1) {
      const char* why = stbi_failure_reason();
      throw std::runtime_error(frameWhere(s, i) + "its image '" + file.string() + "' is not a readable picture (" +
                               (why ? why : "unknown reason") + ")");
    }
    checkSize(s, i, width, height, s.width, s.height);
    if (i == 0) s.width = width, s.height = height;
  }
  return s;
}

NerfSplit loadNerfSplit(const fs::path& folder, const std::string& split, const NerfLoadOptions& options) {
  NerfSplit s = readJson(folder, split);
  const int k = options.downscale;
  if (k < 1) throw std::runtime_error("the downscale factor must be at least 1 (got " + std::to_string(k) + ")");
  for (float b : options.background)
    if (!(b >= 0 && b <= 1)) throw std::runtime_error("the background colour's channels must be in [0, 1]");
  int width0 = 0, height0 = 0;
  for (std::size_t i = 0; i < s.views.size(); ++i) {
    const Pixels p = decode(s, i);
    checkSize(s, i, p.width, p.height, width0, height0);
    if (i == 0) {
      width0 = p.width, height0 = p.height;
      if (k > width0 || k > height0)
        throw std::runtime_error(frameWhere(s, i) + "the downscale factor " + std::to_string(k) + " is larger than its " +
                                 std::to_string(width0) + "x" + std::to_string(height0) + " image");
      s.width = width0 / k, s.height = height0 / k;
      s.rgb.resize(s.views.size() * static_cast<std::size_t>(s.width) * s.height * 3);
    }
    float* out = s.rgb.data() + i * static_cast<std::size_t>(s.width) * s.height * 3;
    const float norm = 1.0f / (255.0f * float(k * k));
    for (int y = 0; y < s.height; ++y)
      for (int x = 0; x < s.width; ++x) {
        float sum[3] = {0, 0, 0};  // composited over the background, then averaged (both linear)
        for (int dy = 0; dy < k; ++dy)
          for (int dx = 0; dx < k; ++dx) {
            const unsigned char* px = p.data.get() + (static_cast<std::size_t>(y * k + dy) * p.width + (x * k + dx)) * 4;
            const float a = px[3];
            for (int c = 0; c < 3; ++c)
              sum[c] += float(px[c]) * a / 255.0f + options.background[static_cast<std::size_t>(c)] * (255.0f - a);
          }
        for (int c = 0; c < 3; ++c) *out++ = sum[c] * norm;
      }
  }
  return s;
}

}  // namespace fieldscope
