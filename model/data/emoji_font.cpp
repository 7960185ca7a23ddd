#include "model/data/emoji_font.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/data/image_folder.h"
#include "model/io/png_file.h"

namespace fieldscope {
namespace {

struct FtLibrary {
  FT_Library lib = nullptr;
  FtLibrary() {
    if (FT_Init_FreeType(&lib)) throw std::runtime_error("FreeType could not be initialised");
  }
  ~FtLibrary() { FT_Done_FreeType(lib); }
};

struct FtFace {
  FT_Face face = nullptr;
  FtFace(FT_Library lib, const std::filesystem::path& p) {
    if (FT_New_Face(lib, p.c_str(), 0, &face))
      throw std::runtime_error("cannot open font '" + p.string() + "' (missing, or not a font; install fonts-noto-color-emoji)");
  }
  ~FtFace() { FT_Done_Face(face); }
};

// Box-filters a square premultiplied-BGRA canvas down to size x size, composites on the background.
Rgba8Image downsample(const std::vector<float>& canvas, int side, int size) {
  Rgba8Image img;
  img.width = img.height = size;
  img.pixels.assign(static_cast<size_t>(size) * size * 4, 255);
  const double scale = static_cast<double>(side) / size;
  const float bg = kNeutralBackground / 255.f;
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      double acc[4] = {0, 0, 0, 0}, wsum = 0;
      const double y0 = y * scale, y1 = (y + 1) * scale, x0 = x * scale, x1 = (x + 1) * scale;
      for (int sy = static_cast<int>(y0); sy < std::min<int>(side, static_cast<int>(std::ceil(y1))); ++sy) {
        const double wy = std::min<double>(sy + 1, y1) - std::max<double>(sy, y0);
        for (int sx = static_cast<int>(x0); sx < std::min<int>(side, static_cast<int>(std::ceil(x1))); ++sx) {
          const double w = wy * (std::min<double>(sx + 1, x1) - std::max<double>(sx, x0));
          for (int c = 0; c < 4; ++c) acc[c] += w * canvas[(static_cast<size_t>(sy) * side + sx) * 4 + c];
          wsum += w;
        }
      }
      for (int c = 0; c < 4; ++c) acc[c] /= wsum;
      // canvas is premultiplied RGBA in [0,1]
      for (int c = 0; c < 3; ++c) {
        const double v = acc[c] + bg * (1 - acc[3]);
        img.pixels[(static_cast<size_t>(y) * size + x) * 4 + c] =
            static_cast<uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
      }
    }
  return img;
}

}  // namespace

EmojiDataStats makeEmojiDataset(const std::filesystem::path& fontPath, const std::filesystem::path& outDir, int size) {
  if (size < 4 || size > 1024) throw std::runtime_error("image size must be between 4 and 1024");
  FtLibrary lib;
  FtFace face(lib.lib, fontPath);
  FT_Face f = face.face;
  if (f->num_fixed_sizes > 0) {
    // Colour bitmap fonts (CBDT) have fixed strikes: pick the largest.
    int best = 0;
    for (int i = 1; i < f->num_fixed_sizes; ++i)
      if (f->available_sizes[i].y_ppem > f->available_sizes[best].y_ppem) best = i;
    if (FT_Select_Size(f, best)) throw std::runtime_error("font '" + fontPath.string() + "': cannot select its bitmap size");
  } else if (FT_Set_Pixel_Sizes(f, 0, 128)) {
    throw std::runtime_error("font '" + fontPath.string() + "': cannot set a pixel size");
  }
  std::error_code ec;
  std::filesystem::create_directories(outDir, ec);
  if (ec || !std::filesystem::is_directory(outDir))
    throw std::runtime_error("cannot create output folder '" + outDir.string() + "': " + ec.message());

  EmojiDataStats stats;
  stats.glyphs = static_cast<int>(f->num_glyphs);
  std::unordered_set<std::string> seen;
  for (FT_Long gi = 0; gi < f->num_glyphs; ++gi) {
    if (FT_Load_Glyph(f, static_cast<FT_UInt>(gi), FT_LOAD_COLOR)) continue;
    if (f->glyph->format != FT_GLYPH_FORMAT_BITMAP && FT_Render_Glyph(f->glyph, FT_RENDER_MODE_NORMAL)) continue;
    const FT_Bitmap& bm = f->glyph->bitmap;
    if (bm.pixel_mode != FT_PIXEL_MODE_BGRA || bm.width < 8 || bm.rows < 8) continue;
    const int side = static_cast<int>(std::max(bm.width, bm.rows));
    std::vector<float> canvas(static_cast<size_t>(side) * side * 4, 0.f);
    const int ox = (side - static_cast<int>(bm.width)) / 2, oy = (side - static_cast<int>(bm.rows)) / 2;
    double alphaSum = 0;
    for (unsigned y = 0; y < bm.rows; ++y)
      for (unsigned x = 0; x < bm.width; ++x) {
        const uint8_t* p = bm.buffer + static_cast<ptrdiff_t>(y) * bm.pitch + x * 4;  // premultiplied BGRA
        float* q = &canvas[((static_cast<size_t>(oy) + y) * side + ox + x) * 4];
        q[0] = p[2] / 255.f;
        q[1] = p[1] / 255.f;
        q[2] = p[0] / 255.f;
        q[3] = p[3] / 255.f;
        alphaSum += q[3];
      }
    if (alphaSum < 1.0) continue;  // blank glyph
    Rgba8Image img = downsample(canvas, side, size);
    if (!seen.insert(std::string(img.pixels.begin(), img.pixels.end())).second) continue;
    char name[32];
    std::snprintf(name, sizeof name, "g%05ld.png", static_cast<long>(gi));
    writePng(outDir / name, img);
    ++stats.written;
    if (isHeldOut(name)) ++stats.heldOut;
  }
  if (stats.written == 0)
    throw std::runtime_error("font '" + fontPath.string() + "' has no colour bitmap glyphs (is it Noto Color Emoji?)");
  return stats;
}

}  // namespace fieldscope
