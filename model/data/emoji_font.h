#pragma once
// The emoji dataset (docs/architecture.md "Data"): every colour glyph of Noto Color Emoji rendered with
// FreeType (FT_LOAD_COLOR, the font's fixed bitmap strike), composited on the neutral background,
// centred, area-resized to `size`² RGB and written as DIR/g<index>.png. Identical renders are
// written once. The held-out 10% is chosen from the file names (see image_folder.h).
#include <filesystem>
#include <functional>
#include <string>

#include "model/util/work_progress.h"
#include "model/video_data/emoji_glyphs.h"  // kDefaultEmojiFont

namespace fieldscope {

struct EmojiDataStats {
  int glyphs = 0;   // glyphs in the font
  int written = 0;  // images written
  int heldOut = 0;  // of which held out
  bool cancelled = false;  // stopped by `cancelled`: nothing was written, DIR is as it was
};

struct EmojiDataOptions {
  int size = 64;        // image side, 4..1024
  bool force = false;   // write into a folder that holds other files too
  int maxImages = 0;    // stop after this many images (0: every glyph of the font)
  WorkProgress progress;             // glyphs looked at, of the font's (or images, with maxImages)
  std::function<bool()> cancelled;   // polled between glyphs
};

// The set is built in DIR/.fieldscope-partial and moved into DIR only when every image is written,
// replacing the g*.png of an earlier set; a failed write (a full disk) or an error leaves DIR as it
// was. A non-empty DIR that holds anything but an emoji set is refused unless `force`.
// Throws std::runtime_error naming the font, the output folder or the file that failed.
EmojiDataStats makeEmojiDataset(const std::filesystem::path& fontPath, const std::filesystem::path& outDir,
                                const EmojiDataOptions& options);

// Whether `name` is a file name of the emoji set (g<digits>.png).
bool isEmojiSetFileName(const std::string& name);

}  // namespace fieldscope
