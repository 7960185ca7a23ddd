#include "model/video_io/libav_util.h"

extern "C" {
#include <libavutil/error.h>
}

#include <stdexcept>

namespace fieldscope::libav {

std::string errorString(int err) {
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
