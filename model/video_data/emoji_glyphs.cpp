#include "model/video_data/emoji_glyphs.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "model/video_data/box_filter.h"

namespace fieldscope {

struct EmojiGlyphs::Impl {
  FT_Library lib = nullptr;
  FT_Face face = nullptr;
  ~Impl() {
    if (face) FT_Done_Face(face);
    if (lib) FT_Done_FreeType(lib);
  }
};

EmojiGlyphs::EmojiGlyphs(const std::filesystem::path& fontPath) : impl_(std::make_unique<Impl>()) {
  if (FT_Init_FreeType(&impl_->lib)) throw std::runtime_error("FreeType could not be initialised");
  if (FT_New_Face(impl_->lib, fontPath.c_str(), 0, &impl_->face))
    throw std::runtime_error("cannot open font '" + fontPath.string() +
                             "' (missing, or not a font; install fonts-noto-color-emoji)");
  FT_Face f = impl_->face;
  if (f->num_fixed_sizes > 0) {
    // Colour bitmap fonts (CBDT) have fixed strikes: pick the largest.
    int best = 0;
    for (int i = 1; i < f->num_fixed_sizes; ++i)
      if (f->available_sizes[i].y_ppem > f->available_sizes[best].y_ppem) best = i;
    if (FT_Select_Size(f, best)) throw std::runtime_error("font '" + fontPath.string() + "': cannot select its bitmap size");
  } else if (FT_Set_Pixel_Sizes(f, 0, 128)) {
    throw std::runtime_error("font '" + fontPath.string() + "': cannot set a pixel size");
  }
}

EmojiGlyphs::~EmojiGlyphs() = default;

int EmojiGlyphs::count() const { return static_cast<int>(impl_->face->num_glyphs); }

std::optional<GlyphCanvas> EmojiGlyphs::render(int index) {
  FT_Face f = impl_->face;
  if (index < 0 || index >= count()) return std::nullopt;
  if (FT_Load_Glyph(f, static_cast<FT_UInt>(index), FT_LOAD_COLOR)) return std::nullopt;
  if (f->glyph->format != FT_GLYPH_FORMAT_BITMAP && FT_Render_Glyph(f->glyph, FT_RENDER_MODE_NORMAL)) return std::nullopt;
  const FT_Bitmap& bm = f->glyph->bitmap;
  if (bm.pixel_mode != FT_PIXEL_MODE_BGRA || bm.width < 8 || bm.rows < 8) return std::nullopt;
  GlyphCanvas canvas;
  canvas.side = static_cast<int>(std::max(bm.width, bm.rows));
  const int side = canvas.side;
  canvas.rgba.assign(static_cast<size_t>(side) * side * 4, 0.f);
  const int ox = (side - static_cast<int>(bm.width)) / 2, oy = (side - static_cast<int>(bm.rows)) / 2;
  double alphaSum = 0;
  for (unsigned y = 0; y < bm.rows; ++y)
    for (unsigned x = 0; x < bm.width; ++x) {
      const uint8_t* p = bm.buffer + static_cast<ptrdiff_t>(y) * bm.pitch + x * 4;  // premultiplied BGRA
      float* q = &canvas.rgba[((static_cast<size_t>(oy) + y) * side + ox + x) * 4];
      q[0] = p[2] / 255.f;
      q[1] = p[1] / 255.f;
      q[2] = p[0] / 255.f;
      q[3] = p[3] / 255.f;
      alphaSum += q[3];
    }
  if (alphaSum < 1.0) return std::nullopt;  // blank glyph
  return canvas;
}

std::vector<double> boxResizePremultiplied(const std::vector<float>& canvas, int side, int size) {
  std::vector<double> out(static_cast<size_t>(size) * size * 4);
  double acc[4] = {0, 0, 0, 0};
  boxFilterSquare(
      side, size,
      [&](int sx, int sy, double w) {
        for (int c = 0; c < 4; ++c) acc[c] += w * canvas[(static_cast<size_t>(sy) * side + sx) * 4 + c];
      },
      [&](int x, int y, double wsum) {
        for (int c = 0; c < 4; ++c) {
          out[(static_cast<size_t>(y) * size + x) * 4 + c] = acc[c] / wsum;
          acc[c] = 0;
        }
      });
  return out;
}

}  // namespace fieldscope
