#pragma once
// Internal to fieldscope_video_io: owning handles for libav objects and error checking.
// Every libav object lives in a unique_ptr with its own deleter, so an exception thrown at any
// point of an export or a decode frees everything it had opened.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

namespace fieldscope::libav {

struct InputFormatDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
// An output context owns its AVIOContext too (closed here unless already closed by finish()).
struct OutputFormatDeleter {
  void operator()(AVFormatContext* c) const {
    if (c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
// libav functions take AVDictionary** and may replace the pointer, so a dictionary is held in
// a tiny owner exposing the pointer itself rather than in a unique_ptr.
struct Dictionary {
  AVDictionary* dict = nullptr;
  Dictionary() = default;
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;
  ~Dictionary() { av_dict_free(&dict); }
};

using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

// av_strerror's text for an AVERROR code.
std::string errorString(int err);

// Returns ret when >= 0; otherwise throws std::runtime_error("<what>: <av_strerror text>").
int check(int ret, const std::string& what);

// Allocation helpers that throw instead of returning null.
FramePtr allocFrame();
PacketPtr allocPacket();

}  // namespace fieldscope::libav
