#include "model/video_data/sprite_library.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace fieldscope {

const SpriteLevel& Sprite::levelFor(double pixels) const {
  for (auto it = levels.rbegin(); it != levels.rend(); ++it)
    if (it->side >= pixels) return *it;
  return levels.front();
}

SpriteLibrary::SpriteLibrary(const std::filesystem::path& fontPath, double maxPixels)
    : glyphs_(fontPath), glyphCount_(glyphs_.count()), maxPixels_(maxPixels) {}

std::shared_ptr<const Sprite> SpriteLibrary::get(int index) {
  {
    std::lock_guard lock(cacheMutex_);
    if (auto it = cache_.find(index); it != cache_.end()) return it->second;
  }
  std::optional<GlyphCanvas> canvas;
  {
    std::lock_guard lock(fontMutex_);
    canvas = glyphs_.render(index);
  }
  std::shared_ptr<Sprite> sprite;
  if (canvas) {
    sprite = std::make_shared<Sprite>();
    sprite->glyph = index;
    // Largest first: the canvas, then the fixed sides below it; none larger than the first level
    // at least maxPixels_ wide.
    std::vector<int> sides = {canvas->side};
    for (int side : {128, 64, 32, 16, 8})
      if (side < canvas->side) sides.push_back(side);
    std::size_t first = 0;
    while (first + 1 < sides.size() && sides[first + 1] >= maxPixels_) ++first;
    for (std::size_t i = first; i < sides.size(); ++i) {
      const std::vector<double> level = boxResizePremultiplied(canvas->rgba, canvas->side, sides[i]);
      SpriteLevel& out = sprite->levels.emplace_back();
      out.side = sides[i];
      out.rgba.resize(level.size());
      std::transform(level.begin(), level.end(), out.rgba.begin(),
                     [](double v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); });
    }
  }
  std::lock_guard lock(cacheMutex_);
  return cache_.emplace(index, std::move(sprite)).first->second;  // a racing thread's equal copy may win
}

}  // namespace fieldscope
