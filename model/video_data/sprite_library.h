#pragma once
// The procedural clips' sprites: emoji glyphs (emoji_glyphs.h) prepared once per run as a small
// pyramid of premultiplied-RGBA8 levels (the glyph's own canvas, then 128, 64, 32, 16, 8 pixels,
// each box-filtered from the canvas), so that drawing a sprite at any size is a bilinear lookup
// in a level at most twice its size: no aliasing, however small the sprite. Levels larger than
// the largest sprite a run draws are not kept: a 64^2 set holds ~22 KB per glyph (the whole font,
// ~4000 glyphs, would be ~90 MB; float levels from the canvas up were 650 KB a glyph).
//
// Thread-safe: workers share one library; a glyph is rendered the first time it is asked for
// (FreeType under a lock) and kept.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "model/video_data/emoji_glyphs.h"

namespace fieldscope {

struct SpriteLevel {
  int side = 0;
  std::vector<std::uint8_t> rgba;  // side*side*4, premultiplied, row-major, top row first
};

struct Sprite {
  int glyph = 0;
  std::vector<SpriteLevel> levels;  // largest first

  // The smallest level at least `pixels` wide (the largest when none is).
  const SpriteLevel& levelFor(double pixels) const;
};

class SpriteLibrary {
 public:
  // `maxPixels`: the widest a sprite is drawn (levels beyond the first one at least that wide are
  // dropped). Throws std::runtime_error naming the font (emoji_glyphs.h).
  explicit SpriteLibrary(const std::filesystem::path& fontPath, double maxPixels = 1e9);

  int glyphCount() const { return glyphCount_; }
  // The sprite of glyph `index`, or null when that glyph is not a usable colour glyph.
  std::shared_ptr<const Sprite> get(int index);

 private:
  std::mutex fontMutex_, cacheMutex_;
  EmojiGlyphs glyphs_;
  int glyphCount_;
  double maxPixels_;
  std::unordered_map<int, std::shared_ptr<const Sprite>> cache_;
};

}  // namespace fieldscope
