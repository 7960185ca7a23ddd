// The libav-free part of MP4 export (mp4_writer.h): checking the settings, the encoded size and
// the choice of encoder. Built with and without FFmpeg (model/video_io/CMakeLists.txt).
#include <algorithm>
#include <array>
#include <stdexcept>

#include "model/video_io/mp4_writer.h"

namespace fieldscope {
namespace fs = std::filesystem;

namespace {

constexpr std::array kX264Presets = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                     "medium",    "slow",      "slower",   "veryslow"};

std::string sizeText(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

}  // namespace

void validateMp4Settings(const fs::path& path, const Mp4Settings& s, int frameCount) {
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

std::pair<int, int> mp4EncodedSize(int width, int height) { return {width & ~1, height & ~1}; }

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
