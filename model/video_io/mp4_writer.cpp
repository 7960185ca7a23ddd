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

bool videoFilesSupported() { return true; }

bool libx264Available() { return avcodec_find_encoder_by_name("libx264") != nullptr; }

ExportReport writeMp4(const fs::path& path, const Mp4Settings& settings, int frameCount, const FrameProvider& frames,
                      const ExportControl& control) {
  validateMp4Settings(path, settings, frameCount);
  ExportReport report;
  std::tie(report.width, report.height) = mp4EncodedSize(settings.width, settings.height);
  if (report.width != settings.width || report.height != settings.height)
    report.notes.push_back("frame size " + std::to_string(settings.width) + "x" + std::to_string(settings.height) + " encoded as " +
                           std::to_string(report.width) + "x" + std::to_string(report.height) +
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

}  // namespace fieldscope
