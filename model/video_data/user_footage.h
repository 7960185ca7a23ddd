#pragma once
// The user's footage for `data clips --from PATH` (docs/architecture.md "Data", "Video clips"):
// video files (.mp4 .webm .mkv .mov .avi, any case; decoded by model/video_io/video_reader.h with
// libavformat/libavcodec/libswscale) and folders of PNG frames (a folder with PNG files directly in
// it is one source: its PNGs in natural order, frame_2 before frame_10), read frame by frame as
// the centre square at size x size (square_frames.h).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

namespace fieldscope {

struct FootageSource {
  std::filesystem::path path;  // a video file, or a folder of PNG frames
  bool frameFolder = false;
};

// `from` is a video file, a folder of PNG frames, or a folder searched recursively for both;
// sorted by path, leaving out `exclude` (the output folder when it lies inside `from`). Throws
// std::runtime_error naming `from` when it does not exist, cannot be listed or holds no footage.
std::vector<FootageSource> findFootage(const std::filesystem::path& from, const std::filesystem::path& exclude);

struct FootageFrame {
  const std::vector<std::uint8_t>& rgb;  // size*size*3
  int index;       // the frame's number in the source (0, stride, 2 stride, ...)
  double seconds;  // its time in the video; -1 for PNG frames (no frame rate)
};

// Calls onFrame for every `stride`-th frame (0, stride, 2 stride, ...) of `source` until the end
// or until onFrame returns false. Throws std::runtime_error naming the file and the problem: a
// missing, empty, corrupt or truncated video (video_reader.h), a PNG that cannot be read, frames
// of different sizes. Frames before the problem may already have been handed over.
void readFootage(const FootageSource& source, int size, int stride, const std::function<bool(const FootageFrame&)>& onFrame);

// "a2.png" < "a10.png": runs of digits compare as numbers, the rest byte by byte.
bool naturalLess(const std::string& a, const std::string& b);

}  // namespace fieldscope
