#pragma once
// Decodes a user's video (MP4, WebM, MKV, … whatever this FFmpeg build reads) into RGB8
// frames with their timestamps: a sequential read from the start, no seeking. Used to train
// on user clips and by the tests to decode exports back.
//
// Errors (missing, empty, corrupt or truncated files, no video stream, no decoder) throw
// std::runtime_error naming the file. A truncated file is detected when it ends before the
// frame count or stream duration its header promises.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fieldscope {

struct VideoReadOptions {
  int maxFrames = 0;  // stop after this many frames; 0 = all
  int width = 0;      // resize every frame to width x height; 0 x 0 = the video's own size
  int height = 0;
  // Pictures of more pixels are refused by the decoder from their header, before any of them is
  // decoded (libav's max_pixels; a 100-byte JPEG can declare 64314 x 1517 and took seconds to
  // probe). 0: no limit.
  int64_t maxPixels = 0;
  // Decoder threads: 0 lets libav choose (frame threads, one per core); 1 decodes on the caller's
  // thread, which is faster for many short clips (each frame thread sets up its own decoder).
  int decoderThreads = 0;
};

struct VideoStreamInfo {
  std::string container;    // e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
  std::string codec;        // e.g. "h264", "mpeg4", "vp9"
  std::string pixelFormat;  // e.g. "yuv420p"
  int width = 0;            // coded picture size
  int height = 0;
  int frameRateNum = 0;  // average frame rate num/den (0/0 when unknown)
  int frameRateDen = 0;
  int timeBaseNum = 0;  // stream time base: timestamps count in units of num/den seconds
  int timeBaseDen = 0;
  int64_t frameCount = 0;       // from the header; 0 when the container does not say
  double durationSeconds = 0;   // of the video stream (see videoDuration); 0 when unknown
  std::string colorSpace;       // matrix, e.g. "bt709", "unknown"
  std::string colorPrimaries;   // e.g. "bt709"
  std::string colorTransfer;    // e.g. "bt709"
  std::string colorRange;       // "tv" (limited), "pc" (full) or "unknown"
};

struct VideoFrame {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width*height*3, row-major, top row first
  int64_t pts = 0;           // in the stream's time base
  double timeSeconds = 0;    // pts in seconds from the stream's start
};

class VideoReader {
 public:
  explicit VideoReader(const std::filesystem::path& path, const VideoReadOptions& options = {});
  ~VideoReader();
  VideoReader(const VideoReader&) = delete;
  VideoReader& operator=(const VideoReader&) = delete;

  const VideoStreamInfo& info() const;

  // Decodes the next frame into `frame`. Returns false at the end of the video (or once
  // maxFrames frames were returned).
  bool next(VideoFrame& frame);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads the frames of `path` (all of them, or options.maxFrames).
std::vector<VideoFrame> readVideoFrames(const std::filesystem::path& path, const VideoReadOptions& options = {});

// Whether this build reads and writes video files: false in a build without FFmpeg's libraries
// (video_io_without_libav.cpp), whose readers and MP4 writer fail naming the file.
bool videoFilesSupported();
// What a test that needs video files says when it skips in such a build.
inline constexpr const char* kNoVideoFilesReason =
    "this build has no FFmpeg libraries (configured with -DFIELDSCOPE_REQUIRE_LIBAV=OFF without libav*-dev): no video files";

}  // namespace fieldscope
