// A build without FFmpeg's libraries (cmake -DFIELDSCOPE_REQUIRE_LIBAV=OFF where libavformat,
// libavcodec, libavutil and libswscale are missing, e.g. a GPU server that only benchmarks):
// reading videos and JPEGs and writing MP4 fail with a message that says so and names the file;
// everything else (PNG sequences, the settings checks) works as in a full build.
#include <stdexcept>

#include "model/video_io/libav_log.h"
#include "model/video_io/mp4_writer.h"
#include "model/video_io/video_reader.h"

namespace fieldscope {
namespace {
[[noreturn]] void noLibav(const std::string& what, const std::filesystem::path& file) {
  throw std::runtime_error("cannot " + what + " '" + file.string() +
                           "': this build of Fieldscope has no FFmpeg libraries (libavformat, libavcodec); "
                           "install libavformat-dev libavcodec-dev libswscale-dev and rebuild");
}
}  // namespace

struct VideoReader::Impl {};

VideoReader::VideoReader(const std::filesystem::path& path, const VideoReadOptions&) { noLibav("read", path); }
VideoReader::~VideoReader() = default;
const VideoStreamInfo& VideoReader::info() const { throw std::logic_error("VideoReader without FFmpeg"); }
bool VideoReader::next(VideoFrame&) { throw std::logic_error("VideoReader without FFmpeg"); }

std::vector<VideoFrame> readVideoFrames(const std::filesystem::path& path, const VideoReadOptions&) {
  noLibav("read", path);
}

bool videoFilesSupported() { return false; }

bool libx264Available() { return false; }

ExportReport writeMp4(const std::filesystem::path& path, const Mp4Settings& settings, int frameCount,
                      const FrameProvider&, const ExportControl&) {
  validateMp4Settings(path, settings, frameCount);
  noLibav("write", path);
}

void quietLibavLogs() {}

}  // namespace fieldscope
