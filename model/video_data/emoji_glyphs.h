#pragma once
// Colour emoji glyphs from a FreeType font (Noto Color Emoji: FT_LOAD_COLOR, the font's largest
// fixed bitmap strike), as square premultiplied-RGBA canvases, and the box filter that shrinks
// them. Torch-free: the emoji image set (model/data/emoji_font.*) and the procedural video clips'
// sprites (procedural_clips.*) both draw their glyphs through here (docs/architecture.md "Data").
//
// Not thread-safe (one FreeType face): one EmojiGlyphs per thread, or a lock around render().
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace fieldscope {

inline constexpr const char* kDefaultEmojiFont = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

// A glyph centred on a transparent square canvas: side*side*4 floats, premultiplied RGBA in
// [0, 1], row-major, top row first.
struct GlyphCanvas {
  int side = 0;
  std::vector<float> rgba;
};

class EmojiGlyphs {
 public:
  // Throws std::runtime_error naming the font: missing, not a font, no usable size.
  explicit EmojiGlyphs(const std::filesystem::path& fontPath);
  ~EmojiGlyphs();
  EmojiGlyphs(const EmojiGlyphs&) = delete;
  EmojiGlyphs& operator=(const EmojiGlyphs&) = delete;

  int count() const;  // glyphs in the font
  // Glyph `index` (0 <= index < count()) on its canvas; nothing for glyphs that are not colour
  // bitmaps, smaller than 8 pixels, or blank.
  std::optional<GlyphCanvas> render(int index);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Box-filters a square premultiplied canvas (side*side*4) down (or up) to size*size*4: each
// output pixel is the area-weighted mean of the canvas pixels it covers. Still premultiplied.
std::vector<double> boxResizePremultiplied(const std::vector<float>& canvas, int side, int size);

}  // namespace fieldscope
