#pragma once
// The emoji dataset (docs/architecture.md "Data"): every colour glyph of Noto Color Emoji rendered with
// FreeType (FT_LOAD_COLOR, the font's fixed bitmap strike), composited on the neutral background,
// centred, area-resized to `size`² RGB and written as DIR/g<index>.png. Identical renders are
// written once. The held-out 10% is chosen from the file names (see image_folder.h).
#include <filesystem>

#include "model/video_data/emoji_glyphs.h"  // kDefaultEmojiFont

namespace fieldscope {

struct EmojiDataStats {
  int glyphs = 0;   // glyphs in the font
  int written = 0;  // images written
  int heldOut = 0;  // of which held out
};

// Throws std::runtime_error naming the font or output folder on failure.
EmojiDataStats makeEmojiDataset(const std::filesystem::path& fontPath, const std::filesystem::path& outDir, int size);

}  // namespace fieldscope
