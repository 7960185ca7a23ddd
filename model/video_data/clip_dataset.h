#pragma once
// The video clip data set folder (docs/architecture.md "Data", "Video clips"; issue 13, item 2):
//
//   DIR/manifest.json          what was made: format, version, frames, size, count, seed, source
//                              ("procedural" or the --from path), per clip its file, split and origin
//                              (glyphs and background, or the video/frame folder and start time)
//   DIR/train/clip_00000.png   one clip: its T frames side by side (S rows, T*S columns, RGB)
//   DIR/test/...               the held-out split: every 10th index (index % 10 == 9)
//
// Procedural (procedural_clips.h): clip i of seed S is the same in a set of any size, whatever
// the thread count; the bytes are reproducible. From footage (user_footage.h): the sources in path
// order, each cut into consecutive clips of T frames (every stride-th frame); clips are numbered
// in that order. A source that cannot be read (corrupt, truncated, empty) or has fewer than T
// frames is skipped with its reason (message, summary, manifest) and none of its clips are kept.
//
// Nothing half-made is ever left (staged_folder.h): the set is built in DIR/.fieldscope-partial
// and moved into place at the end; a cancel or an error removes it.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/video_data/clip.h"

namespace fieldscope {

struct ClipDatasetOptions {
  int count = 1000;     // procedural clips; with `from`, at most this many clips (-1: all)
  int frames = 16;      // T, 2..64
  int size = 64;        // S, 16..512
  std::uint64_t seed = 0;
  std::filesystem::path from;  // a video, a folder of PNG frames, or a folder of both; empty: procedural
  int stride = 1;       // from footage: every stride-th frame
  std::filesystem::path font;  // the sprites' emoji font; empty: kDefaultEmojiFont
  int threads = 0;      // procedural clips made at once; 0: one per hardware thread
  bool force = false;   // write into a non-empty folder that is not a clip data set
  std::function<void(int done, int total)> progress;  // clips (procedural) or sources (--from)
  std::function<void(const std::string&)> message;    // skipped sources, on the calling thread
  std::function<bool()> cancelled;                    // polled on the calling thread
};

struct ClipDatasetSummary {
  int train = 0, test = 0;
  int skipped = 0;  // sources that could not be used (--from)
  int sources = 0;  // sources found (--from)
  bool cancelled = false;
  double seconds = 0;
};

// Throws std::runtime_error naming the folder or input: bad options, a foreign non-empty folder
// (without `force`), no usable footage in `from`, a missing font, a write that failed.
ClipDatasetSummary makeClipDataset(const std::filesystem::path& dir, const ClipDatasetOptions& options);

// Whether `dir` holds a clip data set's manifest.json.
bool isClipDataset(const std::filesystem::path& dir);

struct ClipDataset {
  int frames = 0, size = 0;
  std::vector<Clip> train, test;
  nlohmann::ordered_json manifest;
};

// Reads a set back. Throws std::runtime_error naming the file and the problem: a missing or
// corrupt manifest, a missing or broken PNG, a PNG of the wrong size.
ClipDataset loadClipDataset(const std::filesystem::path& dir);

inline constexpr const char* kClipDatasetFormat = "fieldscope-clip-dataset";
inline constexpr const char* kClipDatasetPartial = ".fieldscope-partial";
inline constexpr int kClipDatasetVersion = 1;

}  // namespace fieldscope
