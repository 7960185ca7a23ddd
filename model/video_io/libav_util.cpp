#include "model/video_io/libav_util.h"

extern "C" {
#include <libavutil/error.h>
}

#include <cerrno>
#include <stdexcept>

#include "model/io/atomic_file.h"

namespace fieldscope::libav {

std::string errorString(int err) {
  // A failed write says it the project's way ("the disk is full"), as every other writer does.
  if (err == AVERROR(ENOSPC) || err == AVERROR(EDQUOT) || err == AVERROR(EFBIG)) return writeErrorText(AVUNERROR(err));
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(err, buf, sizeof buf) < 0) return "libav error " + std::to_string(err);
  return buf;
}

int check(int ret, const std::string& what) {
  if (ret < 0) throw std::runtime_error(what + ": " + errorString(ret));
  return ret;
}

FramePtr allocFrame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw std::runtime_error("out of memory allocating a video frame");
  return f;
}

PacketPtr allocPacket() {
  PacketPtr p(av_packet_alloc());
  if (!p) throw std::runtime_error("out of memory allocating a video packet");
  return p;
}

}  // namespace fieldscope::libav
