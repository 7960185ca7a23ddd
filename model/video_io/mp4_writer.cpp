#include "model/video_io/mp4_writer.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <tuple>

#include "model/io/atomic_file.h"
#include "model/video_io/mp4_encoder.h"

namespace fieldscope {
namespace fs = std::filesystem;

namespace {

constexpr std::array kX264Presets = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                     "medium",    "slow",      "slower",   "veryslow"};

std::string sizeText(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

// Everything that can be checked without touching the disk, so a bad setting fails at once
// with a message about the setting rather than as a libav error later.
void validate(const fs::path& path, const Mp4Settings& s, int frameCount) {
  const auto fail = [&](const std::string& why) {
    throw std::runtime_error("cannot write '" + path.string() + "': " + why);
  };
  if (frameCount <= 0) fail("no frames to export (frame count " + std::to_string(frameCount) + ")");
  if (s.width < 2 || s.height < 2) fail("frame size " + sizeText(s.width, s.height) + " is too small (2x2 at least)");
  if (std::max(s.width, s.height) > kMp4MaxLongSide || std::min(s.width, s.height) > kMp4MaxShortSide)
    fail("frame size " + sizeText(s.width, s.height) + " is larger than " +
         sizeText(kMp4MaxLongSide, kMp4MaxShortSide) + " (4K UHD)");
  if (s.frameRate.num <= 0 || s.frameRate.den <= 0)
    fail("frame rate " + std::to_string(s.frameRate.num) + "/" + std::to_string(s.frameRate.den) + " is not positive");
  // MPEG-4 Part 2 stores the time base denominator in 16 bits; 1000 fps is beyond any use here.
  if (s.frameRate.fps() > 1000.0 || s.frameRate.num > 65535)
    fail("frame rate " + std::to_string(s.frameRate.num) + "/" + std::to_string(s.frameRate.den) + " is too high");
  if (s.crf < 0 || s.crf > 51) fail("quality (crf) " + std::to_string(s.crf) + " is outside 0..51");
  if (std::find(kX264Presets.begin(), kX264Presets.end(), s.preset) == kX264Presets.end())
    fail("unknown x264 preset '" + s.preset + "' (ultrafast … veryslow)");
}

const AVCodec* chooseEncoder(const fs::path& path, Mp4Codec choice, ExportReport& report) {
  const AVCodec* x264 = avcodec_find_encoder_by_name("libx264");
  const AVCodec* mpeg4 = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
  const Mp4EncoderChoice c = chooseMp4Encoder(choice, x264 != nullptr, mpeg4 != nullptr, path);
  report.codec = c.codec;
  if (!c.note.empty()) report.notes.push_back(c.note);
  return c.x264 ? x264 : mpeg4;
}

// Thrown out of the atomic write to make it discard the temporary file; never escapes writeMp4.
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace

std::pair<int, int> mp4EncodedSize(int width, int height) { return {width & ~1, height & ~1}; }

bool libx264Available() { return avcodec_find_encoder_by_name("libx264") != nullptr; }

ExportReport writeMp4(const fs::path& path, const Mp4Settings& settings, int frameCount, const FrameProvider& frames,
                      const ExportControl& control) {
  validate(path, settings, frameCount);
  ExportReport report;
  std::tie(report.width, report.height) = mp4EncodedSize(settings.width, settings.height);
  if (report.width != settings.width || report.height != settings.height)
    report.notes.push_back("frame size " + sizeText(settings.width, settings.height) + " encoded as " +
                           sizeText(report.width, report.height) +
                           ": H.264/MPEG-4 in yuv420p need even sizes, so the last column/row is dropped");
  Mp4EncoderConfig config;
  config.codec = chooseEncoder(path, settings.codec, report);
  config.width = report.width;
  config.height = report.height;
  config.frameRate = settings.frameRate;
  config.crf = settings.crf;
  config.preset = settings.preset;

  bool cancelled = false;
  try {
    writeFileAtomically(path, [&](const fs::path& tmp) {
      Mp4Encoder encoder(tmp, config);
      for (int k = 0; k < frameCount; ++k) {
        if (cancelRequested(control)) {
          cancelled = true;
          throw Cancelled();
        }
        const FrameView frame = frames(k);
        checkFrame(frame, settings.width, settings.height, k, path.string());
        encoder.encode(frame, k);
        report.framesWritten = k + 1;
        if (control.progress && k + 1 < frameCount) control.progress(k + 1, frameCount);
      }
      // A cancel while the last frame was rendered (a provider may hand over a stand-in then).
      if (cancelRequested(control)) {
        cancelled = true;
        throw Cancelled();
      }
      encoder.finish();
    });
  } catch (const std::runtime_error&) {
    if (!cancelled) throw;
    report.cancelled = true;
    report.framesWritten = 0;
    return report;
  }
  if (control.progress) control.progress(frameCount, frameCount);  // flushed and renamed: done
  return report;
}

Mp4EncoderChoice chooseMp4Encoder(Mp4Codec choice, bool haveX264, bool haveMpeg4, const fs::path& path) {
  if (haveX264 && choice != Mp4Codec::Mpeg4) return {true, "h264 (libx264)", ""};
  if (choice == Mp4Codec::H264)
    throw std::runtime_error("cannot write '" + path.string() + "': this FFmpeg build has no H.264 encoder (libx264)");
  if (!haveMpeg4)
    throw std::runtime_error("cannot write '" + path.string() +
                             "': this FFmpeg build has neither libx264 nor an MPEG-4 Part 2 encoder");
  Mp4EncoderChoice c{false, "mpeg4", ""};
  if (choice == Mp4Codec::Auto)
    c.note = "libx264 is not available in this FFmpeg build: encoded with MPEG-4 Part 2 (mpeg4), which "
             "needs more bytes for the same quality and plays in fewer places than H.264";
  return c;
}

}  // namespace fieldscope
