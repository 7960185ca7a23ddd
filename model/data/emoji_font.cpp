#include "model/data/emoji_font.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/data/image_folder.h"
#include "model/io/png_file.h"
#include "model/video_data/emoji_glyphs.h"

namespace fieldscope {
namespace {

// Box-filters a glyph canvas down to size x size (emoji_glyphs.h), composites on the background.
Rgba8Image downsample(const GlyphCanvas& canvas, int size) {
  const std::vector<double> premultiplied = boxResizePremultiplied(canvas.rgba, canvas.side, size);
  Rgba8Image img;
  img.width = img.height = size;
  img.pixels.assign(static_cast<size_t>(size) * size * 4, 255);
  const float bg = kNeutralBackground / 255.f;
  for (size_t i = 0, n = static_cast<size_t>(size) * size; i < n; ++i) {
    const double* acc = &premultiplied[i * 4];
    for (int c = 0; c < 3; ++c) {
      const double v = acc[c] + bg * (1 - acc[3]);
      img.pixels[i * 4 + c] = static_cast<uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
    }
  }
  return img;
}

}  // namespace

EmojiDataStats makeEmojiDataset(const std::filesystem::path& fontPath, const std::filesystem::path& outDir, int size) {
  if (size < 4 || size > 1024) throw std::runtime_error("image size must be between 4 and 1024");
  EmojiGlyphs glyphs(fontPath);
  std::error_code ec;
  std::filesystem::create_directories(outDir, ec);
  if (ec || !std::filesystem::is_directory(outDir))
    throw std::runtime_error("cannot create output folder '" + outDir.string() + "': " + ec.message());

  EmojiDataStats stats;
  stats.glyphs = glyphs.count();
  std::unordered_set<std::string> seen;
  for (int gi = 0; gi < glyphs.count(); ++gi) {
    const std::optional<GlyphCanvas> canvas = glyphs.render(gi);
    if (!canvas) continue;
    Rgba8Image img = downsample(*canvas, size);
    if (!seen.insert(std::string(img.pixels.begin(), img.pixels.end())).second) continue;
    char name[32];
    std::snprintf(name, sizeof name, "g%05d.png", gi);
    writePng(outDir / name, img);
    ++stats.written;
    if (isHeldOut(name)) ++stats.heldOut;
  }
  if (stats.written == 0)
    throw std::runtime_error("font '" + fontPath.string() + "' has no colour bitmap glyphs (is it Noto Color Emoji?)");
  return stats;
}

}  // namespace fieldscope
