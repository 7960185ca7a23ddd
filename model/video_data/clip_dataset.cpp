#include "model/video_data/clip_dataset.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "model/io/atomic_file.h"
#include "model/io/json_integer.h"
#include "model/video_data/clip_png.h"
#include "model/video_data/indexed_work.h"
#include "model/video_data/procedural_clips.h"
#include "model/video_data/sprite_library.h"
#include "model/video_data/staged_folder.h"
#include "model/video_data/user_footage.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // the manifest keeps the order it is written in

std::string clipName(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "clip_%05d", index);
  return name;
}
bool heldOut(int index) { return index % 10 == 9; }
std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// A failed write (disk full...) ends the run; it is not a reason to skip a source.
struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes clip `index` into the partial folder; returns its manifest entry.
json writeClip(const fs::path& staging, int index, Clip& clip) {
  const std::string split = heldOut(index) ? "test" : "train";
  clip.name = clipName(index);
  const std::string file = split + "/" + clip.name + ".png";
  try {
    writeClipPng(staging / file, clip);
  } catch (const std::exception& e) {
    throw WriteError(e.what());
  }
  return {{"name", clip.name}, {"split", split}, {"file", file}};
}

StagedFolderSpec clipFolderSpec() { return {"clip", kClipDatasetPartial, {"train", "test"}, isClipDataset}; }

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void checkOptions(const ClipDatasetOptions& o) {
  if (o.from.empty() && (o.count < 1 || o.count > 1000000)) throw std::invalid_argument("--count must be in [1, 1000000]");
  if (!o.from.empty() && (o.count == 0 || o.count < -1 || o.count > 1000000))
    throw std::invalid_argument("--count must be in [1, 1000000]");
  if (o.frames < 2 || o.frames > 64) throw std::invalid_argument("--frames must be in [2, 64]");
  if (o.size < 16 || o.size > 512) throw std::invalid_argument("--size must be in [16, 512]");
  if (o.stride < 1 || o.stride > 1000) throw std::invalid_argument("--stride must be in [1, 1000]");
}

json baseManifest(const ClipDatasetOptions& o, int count) {
  return {{"format", kClipDatasetFormat},
          {"version", kClipDatasetVersion},
          {"frames", o.frames},
          {"size", o.size},
          {"count", count},
          {"seed", o.seed},
          {"source", o.from.empty() ? std::string("procedural") : o.from.string()},
          {"layout", "one PNG per clip: its frames side by side, left to right (size rows, frames*size columns, RGB8)"},
          {"time", "frame k of a clip at clip time k / (frames - 1)"},
          {"split", "index % 10 == 9 is held out (test)"}};
}

ClipDatasetSummary makeProcedural(const fs::path& dir, const ClipDatasetOptions& o, std::chrono::steady_clock::time_point start) {
  const fs::path font = o.font.empty() ? fs::path(kDefaultEmojiFont) : o.font;
  SpriteLibrary sprites(font, maxSpritePixels(o.size));  // a missing font is reported before any folder is touched
  StagedFolder folder(dir, clipFolderSpec(), o.force);
  std::vector<json> entries(static_cast<std::size_t>(o.count));
  const bool finished = runIndexed(
      o.count,
      [&](int i) {
        const ClipRecipe recipe = drawClipRecipe(o.seed, static_cast<std::uint64_t>(i), sprites);
        Clip clip = renderClip(recipe, o.frames, o.size, sprites);
        json entry = writeClip(folder.staging(), i, clip);
        entry.update(describeRecipe(recipe));
        entries[static_cast<std::size_t>(i)] = std::move(entry);
      },
      {o.threads, o.progress, o.cancelled});
  ClipDatasetSummary summary;
  if (!finished) {
    summary.cancelled = true;
    summary.seconds = secondsSince(start);
    return summary;  // the folder's destructor removes the partial set
  }
  for (int i = 0; i < o.count; ++i) (heldOut(i) ? summary.test : summary.train) += 1;
  json manifest = baseManifest(o, o.count);
  manifest["generator"] = "procedural: 1-3 emoji sprites (moving, turning, scaling, changing hue and brightness) over a drifting linear or radial gradient";
  manifest["font"] = font.string();
  manifest["counts"] = {{"train", summary.train}, {"test", summary.test}};
  manifest["clips"] = std::move(entries);
  writeBytesAtomically(folder.staging() / "manifest.json", manifest.dump(1) + "\n");
  folder.publish();
  summary.seconds = secondsSince(start);
  return summary;
}

// Cuts one source into clips (written into the partial folder from index `next` on). Throws
// std::runtime_error naming the file when it cannot be read or has fewer than T frames.
struct SourceCut {
  std::vector<json> entries;
  bool full = false;       // the clip limit was reached
  bool cancelled = false;
  int framesRead = 0;
};

SourceCut cutSource(const FootageSource& source, const json& sourceName, int next, const ClipDatasetOptions& o,
                    const fs::path& staging) {
  SourceCut cut;
  Clip pending;
  pending.frames = o.frames;
  pending.size = o.size;
  pending.rgb.resize(static_cast<std::size_t>(o.frames) * pending.frameBytes());
  int filled = 0, startFrame = 0;
  double startSeconds = 0;
  readFootage(source, o.size, o.stride, [&](const FootageFrame& f) {
    if (o.cancelled && o.cancelled()) {
      cut.cancelled = true;
      return false;
    }
    ++cut.framesRead;
    if (filled == 0) startFrame = f.index, startSeconds = f.seconds;
    std::copy(f.rgb.begin(), f.rgb.end(), pending.frame(filled));
    if (++filled < o.frames) return true;
    filled = 0;
    const int index = next + static_cast<int>(cut.entries.size());
    json entry = writeClip(staging, index, pending);
    entry["source"] = sourceName;
    entry["start_frame"] = startFrame;
    if (startSeconds >= 0) entry["start_seconds"] = startSeconds;
    cut.entries.push_back(std::move(entry));
    cut.full = o.count >= 0 && index + 1 >= o.count;
    return !cut.full;
  });
  if (cut.entries.empty() && !cut.cancelled) {
    const std::string what = source.frameFolder ? "frame folder " : "video ";
    throw std::runtime_error(what + quoted(source.path) + " has " + std::to_string(cut.framesRead) + " frame" +
                             (cut.framesRead == 1 ? "" : "s") + (o.stride > 1 ? " at --stride " + std::to_string(o.stride) : std::string()) +
                             ", fewer than the " + std::to_string(o.frames) + " a clip needs");
  }
  return cut;
}

ClipDatasetSummary makeFromFootage(const fs::path& dir, const ClipDatasetOptions& o, std::chrono::steady_clock::time_point start) {
  const std::vector<FootageSource> sources = findFootage(o.from, dir);
  StagedFolder folder(dir, clipFolderSpec(), o.force);
  ClipDatasetSummary summary;
  summary.sources = static_cast<int>(sources.size());
  std::error_code ec;
  const bool fromFolder = fs::is_directory(o.from, ec);
  json clips = json::array(), used = json::array(), skipped = json::array();
  std::vector<std::string> reasons;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    if (o.progress) o.progress(static_cast<int>(s), summary.sources);
    if (o.cancelled && o.cancelled()) {
      summary.cancelled = true;
      summary.seconds = secondsSince(start);
      return summary;
    }
    const FootageSource& source = sources[s];
    const json name = fromFolder ? fs::relative(source.path, o.from, ec).generic_string() : source.path.filename().string();
    const int next = static_cast<int>(clips.size());
    SourceCut cut;
    try {
      cut = cutSource(source, name, next, o, folder.staging());
    } catch (const WriteError&) {
      throw;
    } catch (const std::exception& e) {
      // Its clips go: a source is used whole or not at all, so the numbering does not depend on
      // where a file broke.
      for (int i = next; ; ++i) {
        const fs::path file = folder.staging() / (heldOut(i) ? "test" : "train") / (clipName(i) + ".png");
        if (!fs::remove(file, ec)) break;
      }
      skipped.push_back({{"source", name}, {"reason", e.what()}});
      reasons.push_back(e.what());
      ++summary.skipped;
      if (o.message) o.message(std::string("skipped: ") + e.what());
      continue;
    }
    if (cut.cancelled) {
      summary.cancelled = true;
      summary.seconds = secondsSince(start);
      return summary;
    }
    used.push_back({{"source", name}, {"kind", source.frameFolder ? "png frames" : "video"}, {"clips", cut.entries.size()},
                    {"frames_read", cut.framesRead}});
    for (json& e : cut.entries) clips.push_back(std::move(e));
    if (cut.full) break;
  }
  if (clips.empty()) {
    std::string why;
    for (const std::string& r : reasons) why += (why.empty() ? "" : "; ") + r;
    throw std::runtime_error("--from " + quoted(o.from) + ": nothing usable for clips of " + std::to_string(o.frames) +
                             " frames: " + why);
  }
  if (o.progress) o.progress(summary.sources, summary.sources);
  for (std::size_t i = 0; i < clips.size(); ++i) (heldOut(static_cast<int>(i)) ? summary.test : summary.train) += 1;
  json manifest = baseManifest(o, static_cast<int>(clips.size()));
  manifest["generator"] = "footage: each source cut into consecutive clips (centre square, area-resized)";
  manifest["stride"] = o.stride;
  manifest["counts"] = {{"train", summary.train}, {"test", summary.test}, {"skipped", summary.skipped}};
  manifest["sources"] = std::move(used);
  manifest["skipped"] = std::move(skipped);
  manifest["clips"] = std::move(clips);
  writeBytesAtomically(folder.staging() / "manifest.json", manifest.dump(1) + "\n");
  folder.publish();
  summary.seconds = secondsSince(start);
  return summary;
}

json readManifest(const fs::path& dir) {
  const fs::path file = dir / "manifest.json";
  std::ifstream in(file);
  if (!in)
    throw std::runtime_error(quoted(file) + " is missing: " + quoted(dir) +
                             " is not a clip data set (make one with: fieldscope data clips -o DIR)");
  try {
    return json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error(quoted(file) + " is not valid JSON (" + e.what() + ")");
  }
}
}  // namespace

bool isClipDataset(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json");
  if (!in) return false;
  const json manifest = json::parse(in, nullptr, /*allow_exceptions=*/false);
  return manifest.is_object() && manifest.value("format", std::string()) == kClipDatasetFormat;
}

ClipDatasetSummary makeClipDataset(const fs::path& dir, const ClipDatasetOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  checkOptions(o);
  return o.from.empty() ? makeProcedural(dir, o, start) : makeFromFootage(dir, o, start);
}

ClipDataset loadClipDataset(const fs::path& dir) {
  const fs::path file = dir / "manifest.json";
  ClipDataset set;
  set.manifest = readManifest(dir);
  const json& m = set.manifest;
  if (!m.is_object() || m.value("format", std::string()) != kClipDatasetFormat)
    throw std::runtime_error(quoted(file) + " is not a clip data set's manifest (its \"format\" is not \"" +
                             std::string(kClipDatasetFormat) + "\")");
  if (manifestPositiveInteger(m, "version", file) > kClipDatasetVersion)
    throw std::runtime_error(quoted(file) + " is version " + m["version"].dump() + "; this build reads up to " +
                             std::to_string(kClipDatasetVersion));
  set.frames = manifestPositiveInteger(m, "frames", file);
  set.size = manifestPositiveInteger(m, "size", file);
  if (!m.contains("clips") || !m["clips"].is_array()) throw std::runtime_error(quoted(file) + ": \"clips\" is missing");
  const json& entries = m["clips"];
  std::vector<Clip> clips(entries.size());
  std::vector<bool> test(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const json& e = entries[i];
    if (!e.is_object() || !e.contains("file") || !e["file"].is_string() || !e.contains("split") || !e["split"].is_string())
      throw std::runtime_error(quoted(file) + ": clip entry " + std::to_string(i) + " has no \"file\" or \"split\"");
    test[i] = e["split"] == "test";
  }
  runIndexed(
      static_cast<int>(entries.size()),
      [&](int i) {
        const json& e = entries[static_cast<std::size_t>(i)];
        const std::string name = e.value("name", fs::path(e["file"].get<std::string>()).stem().string());
        clips[static_cast<std::size_t>(i)] = readClipPng(dir / e["file"].get<std::string>(), set.frames, set.size, name);
      },
      {});
  for (std::size_t i = 0; i < clips.size(); ++i) (test[i] ? set.test : set.train).push_back(std::move(clips[i]));
  if (set.train.empty()) throw std::runtime_error(quoted(file) + " lists no training clips");
  return set;
}

}  // namespace fieldscope
