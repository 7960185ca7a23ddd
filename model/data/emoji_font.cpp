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

constexpr const char* kPartial = ".fieldscope-partial";

// Removes the staging folder (and DIR if this run created it and it is empty) unless disarmed.
struct Staging {
  std::filesystem::path dir, staging;
  bool createdDir = false, done = false;
  ~Staging() {
    if (done) return;
    std::error_code ec;
    std::filesystem::remove_all(staging, ec);
    if (createdDir) std::filesystem::remove(dir, ec);  // only if empty
  }
};

}  // namespace

bool isEmojiSetFileName(const std::string& name) {
  if (name.size() < 6 || name[0] != 'g' || name.compare(name.size() - 4, 4, ".png") != 0) return false;
  return name.find_first_not_of("0123456789", 1) == name.size() - 4;
}

EmojiDataStats makeEmojiDataset(const std::filesystem::path& fontPath, const std::filesystem::path& outDir,
                                const EmojiDataOptions& options) {
  namespace fs = std::filesystem;
  const int size = options.size;
  if (size < 4 || size > 1024) throw std::runtime_error("image size must be between 4 and 1024");
  if (options.maxImages < 0) throw std::runtime_error("the image count must not be negative");
  EmojiGlyphs glyphs(fontPath);
  std::error_code ec;
  Staging stage{outDir, outDir / kPartial};
  if (fs::exists(outDir, ec)) {
    if (!fs::is_directory(outDir, ec)) throw std::runtime_error("'" + outDir.string() + "' exists and is not a folder");
    int foreign = 0;
    std::string example;
    for (const auto& e : fs::directory_iterator(outDir, ec)) {
      const std::string name = e.path().filename().string();
      if (name == kPartial || isEmojiSetFileName(name)) continue;
      if (foreign++ == 0) example = name;
    }
    if (foreign > 0 && !options.force)
      throw std::runtime_error("'" + outDir.string() + "' is not empty and holds more than an emoji set ('" + example +
                               "' and " + std::to_string(foreign - 1) +
                               " more): refusing to write into it; choose an empty or new folder, or pass --force "
                               "(the set's g*.png files are replaced, other files stay)");
  } else {
    fs::create_directories(outDir, ec);
    if (ec) throw std::runtime_error("cannot create output folder '" + outDir.string() + "': " + ec.message());
    stage.createdDir = true;
  }
  fs::remove_all(stage.staging, ec);  // left by a run that was killed
  fs::create_directories(stage.staging, ec);
  if (ec) throw std::runtime_error("cannot create '" + stage.staging.string() + "': " + ec.message());

  EmojiDataStats stats;
  stats.glyphs = glyphs.count();
  std::unordered_set<std::string> seen;
  const bool limited = options.maxImages > 0;
  for (int gi = 0; gi < glyphs.count() && !(limited && stats.written >= options.maxImages); ++gi) {
    if (options.cancelled && options.cancelled()) {
      stats.cancelled = true;
      return stats;  // the staging folder goes with `stage`
    }
    if (!limited) reportProgress(options.progress, gi, glyphs.count());
    const std::optional<GlyphCanvas> canvas = glyphs.render(gi);
    if (!canvas) continue;
    Rgba8Image img = downsample(*canvas, size);
    if (!seen.insert(std::string(img.pixels.begin(), img.pixels.end())).second) continue;
    char name[32];
    std::snprintf(name, sizeof name, "g%05d.png", gi);
    writePng(stage.staging / name, img);
    ++stats.written;
    if (isHeldOut(name)) ++stats.heldOut;
    if (limited) reportProgress(options.progress, stats.written, options.maxImages);
  }
  if (!limited) reportProgress(options.progress, glyphs.count(), glyphs.count());
  if (stats.written == 0)
    throw std::runtime_error("font '" + fontPath.string() + "' has no colour bitmap glyphs (is it Noto Color Emoji?)");
  // Every image is on disk: replace the old set's files with the new ones.
  for (const auto& e : fs::directory_iterator(outDir, ec))
    if (isEmojiSetFileName(e.path().filename().string())) fs::remove(e.path(), ec);
  for (const auto& e : fs::directory_iterator(stage.staging)) {
    fs::rename(e.path(), outDir / e.path().filename(), ec);
    if (ec) throw std::runtime_error("cannot move '" + e.path().string() + "' into '" + outDir.string() + "': " + ec.message());
  }
  stage.done = true;
  fs::remove_all(stage.staging, ec);
  return stats;
}

}  // namespace fieldscope
