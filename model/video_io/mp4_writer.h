#pragma once
// MP4 export of rendered frames (video INRs, NeRF turntables).
//
// Codec: H.264 through libx264 in yuv420p, 8 bit — the one combination every player, browser
// and editor accepts. When this FFmpeg build has no libx264 the writer falls back to MPEG-4
// Part 2 ("mpeg4") and says so in the report's notes.
//
// Colour: RGB is converted to limited-range ("TV") Y'CbCr with the BT.709 matrix at every size,
// and the stream is tagged BT.709 (primaries, transfer, matrix) so players do not have to guess.
// One rule at all sizes keeps an export's colours the same whatever resolution the user picks;
// players only fall back to the size-based BT.601/BT.709 guess for untagged streams.
//
// Size: yuv420p halves the chroma planes, so both sides must be even. An odd width or height is
// rounded down to even by dropping the last column/row (no resampling, the rest stays sharp),
// and the report carries a note saying so. Sizes up to 3840x2160 (or 2160x3840) are accepted.
//
// Alpha: ignored (H.264/MPEG-4 in MP4 have no alpha channel); composite over a background
// before handing frames over, or export a PNG sequence with keepAlpha to keep it.
//
// The file is written to a temporary file beside the target and renamed at the end, with the
// index ("moov") moved to the front (+faststart) so players can start before the whole file
// has been read. On error or cancel the temporary file is removed and no file is left.
#include <filesystem>
#include <string>
#include <utility>

#include "model/video_io/frame_source.h"

namespace fieldscope {

struct FrameRate {
  int num = 30;  // frames per second = num / den, e.g. 30/1, 24000/1001
  int den = 1;
  double fps() const { return static_cast<double>(num) / den; }
};

enum class Mp4Codec {
  Auto,   // H.264 (libx264) when available, else MPEG-4 Part 2 with a note
  H264,   // H.264 (libx264) or an error
  Mpeg4,  // MPEG-4 Part 2, e.g. for old players or to exercise the fallback
};

struct Mp4Settings {
  int width = 0;  // size of the frames the provider returns (before rounding to even)
  int height = 0;
  FrameRate frameRate;
  Mp4Codec codec = Mp4Codec::Auto;
  // Quality as an x264 constant rate factor: 0 = lossless … 51 = worst, 18 ≈ visually lossless,
  // 23 = x264's default. For MPEG-4 Part 2 it is mapped to a fixed quantiser (qscale ≈ crf/6).
  int crf = 18;
  // x264 speed/size trade-off: ultrafast, superfast, veryfast, faster, fast, medium, slow,
  // slower, veryslow. Ignored by MPEG-4 Part 2.
  std::string preset = "medium";
};

inline constexpr int kMp4MaxLongSide = 3840;
inline constexpr int kMp4MaxShortSide = 2160;

// Which encoder an MP4 gets, from what this FFmpeg build has (the writer asks FFmpeg; pure, so
// the fallback and its note are testable on a build that has libx264): H.264 through libx264
// when there; else MPEG-4 Part 2 -- with a note for the user under Auto, an error under H264 --
// or an error when neither exists. Errors name `path`.
struct Mp4EncoderChoice {
  bool x264 = false;  // false: MPEG-4 Part 2
  std::string codec;  // for the report: "h264 (libx264)" or "mpeg4"
  std::string note;   // what the user is told once (the fallback), or ""
};
Mp4EncoderChoice chooseMp4Encoder(Mp4Codec choice, bool haveX264, bool haveMpeg4, const std::filesystem::path& path);

// The size the encoder writes for frames of width x height: each side rounded down to even.
std::pair<int, int> mp4EncodedSize(int width, int height);

// Everything about an export that can be checked without touching the disk, so a bad setting
// fails at once with a message about the setting (throws std::runtime_error naming `path`).
void validateMp4Settings(const std::filesystem::path& path, const Mp4Settings& settings, int frameCount);

// Whether this FFmpeg build can encode H.264 (has the libx264 encoder).
bool libx264Available();

// Encodes frameCount frames from `frames` into the MP4 file `path`. Settings and the target
// folder are checked before the first frame is requested; throws std::runtime_error naming
// `path` (and the libav error text) on any failure. A cancel (polled before each frame and once
// more before the file is finished) returns a report with cancelled = true and leaves no file (an existing file at `path` is kept as it was).
ExportReport writeMp4(const std::filesystem::path& path, const Mp4Settings& settings, int frameCount,
                      const FrameProvider& frames, const ExportControl& control = {});

}  // namespace fieldscope
