#include "model/video_io/mp4_encoder.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace fieldscope {

using libav::check;

Mp4Encoder::Mp4Encoder(const std::filesystem::path& file, const Mp4EncoderConfig& config) {
  // The file first: an unwritable folder fails here, before an encoder is even started.
  openOutput(file);
  openEncoder(config);

  libav::Dictionary options;
  // The index at the front lets players (and browsers streaming it) start at once; the muxer
  // rewrites the file once at the end to move it there.
  check(av_dict_set(&options.dict, "movflags", "+faststart", 0), "setting MP4 options");
  check(avformat_write_header(format_.get(), &options.dict), "writing the MP4 header");

  yuv_ = libav::allocFrame();
  yuv_->format = AV_PIX_FMT_YUV420P;
  yuv_->width = config.width;
  yuv_->height = config.height;
  check(av_frame_get_buffer(yuv_.get(), 0), "allocating a YUV frame");
  packet_ = libav::allocPacket();
}

void Mp4Encoder::openOutput(const std::filesystem::path& file) {
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, nullptr, "mp4", file.c_str()), "setting up the MP4 muxer");
  format_.reset(raw);
  check(avio_open(&format_->pb, file.c_str(), AVIO_FLAG_WRITE), "creating the file");
}

void Mp4Encoder::openEncoder(const Mp4EncoderConfig& config) {
  stream_ = avformat_new_stream(format_.get(), nullptr);
  if (!stream_) throw std::runtime_error("out of memory adding the video stream");
  encoder_.reset(avcodec_alloc_context3(config.codec));
  if (!encoder_) throw std::runtime_error("out of memory setting up the encoder");

  AVCodecContext* c = encoder_.get();
  c->width = config.width;
  c->height = config.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->sample_aspect_ratio = AVRational{1, 1};
  // One tick per frame: frame k has pts k. The muxer picks its own (finer) stream time base
  // and packets are rescaled into it.
  c->framerate = AVRational{config.frameRate.num, config.frameRate.den};
  c->time_base = av_inv_q(c->framerate);
  // A key frame every ~2 s keeps seeking in players and editors quick at a small size cost.
  c->gop_size = std::max(1, static_cast<int>(std::lround(2.0 * config.frameRate.fps())));
  c->color_primaries = AVCOL_PRI_BT709;
  c->color_trc = AVCOL_TRC_BT709;
  c->colorspace = AVCOL_SPC_BT709;
  c->color_range = AVCOL_RANGE_MPEG;
  c->thread_count = 0;  // as many as the encoder finds useful
  if (format_->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

  if (std::string(config.codec->name) == "libx264") {
    check(av_opt_set(c->priv_data, "preset", config.preset.c_str(), 0), "setting x264 preset '" + config.preset + "'");
    check(av_opt_set(c->priv_data, "crf", std::to_string(config.crf).c_str(), 0), "setting x264 crf");
  } else {
    // MPEG-4 Part 2 has no CRF: a constant quantiser of about crf/6 (crf 18 -> q 3) gives a
    // comparable "looks the same" quality.
    const int q = std::clamp(static_cast<int>(std::lround(config.crf / 6.0)), 2, 31);
    c->flags |= AV_CODEC_FLAG_QSCALE;
    c->global_quality = FF_QP2LAMBDA * q;
  }
  check(avcodec_open2(c, config.codec, nullptr), std::string("opening the ") + config.codec->name + " encoder");

  check(avcodec_parameters_from_context(stream_->codecpar, c), "copying encoder parameters to the stream");
  stream_->time_base = c->time_base;  // a hint; avformat_write_header may change it
  stream_->avg_frame_rate = c->framerate;
  stream_->r_frame_rate = c->framerate;
}

void Mp4Encoder::convert(const FrameView& frame) {
  if (!sws_ || swsLayout_ != frame.layout) {
    const AVPixelFormat src = frame.layout == PixelLayout::Rgba8 ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24;
    // Same size in and out: only colour conversion and chroma subsampling happen here. The
    // source is read as width x height even when the frame is one column/row larger (odd
    // size): that crops instead of resampling.
    sws_.reset(sws_getContext(yuv_->width, yuv_->height, src, yuv_->width, yuv_->height, AV_PIX_FMT_YUV420P,
                              SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr, nullptr, nullptr));
    if (!sws_) throw std::runtime_error("cannot set up the RGB to YUV conversion");
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    // Source: full-range RGB. Destination: limited-range BT.709, matching the stream's tags.
    if (sws_setColorspaceDetails(sws_.get(), bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16) < 0)
      throw std::runtime_error("the RGB to YUV conversion does not support BT.709");
    swsLayout_ = frame.layout;
  }
  // The encoder may still reference the previous frame's buffers.
  check(av_frame_make_writable(yuv_.get()), "preparing a YUV frame");
  const uint8_t* srcData[4] = {frame.pixels, nullptr, nullptr, nullptr};
  const int srcStride[4] = {static_cast<int>(frame.stride()), 0, 0, 0};
  const int rows = sws_scale(sws_.get(), srcData, srcStride, 0, yuv_->height, yuv_->data, yuv_->linesize);
  if (rows != yuv_->height) throw std::runtime_error("RGB to YUV conversion failed");
}

void Mp4Encoder::encode(const FrameView& frame, int64_t index) {
  convert(frame);
  yuv_->pts = index;
  check(avcodec_send_frame(encoder_.get(), yuv_.get()), "encoding frame " + std::to_string(index));
  writePackets();
}

void Mp4Encoder::writePackets() {
  for (;;) {
    const int ret = avcodec_receive_packet(encoder_.get(), packet_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    check(ret, "encoding");
    // Every frame lasts one tick of the encoder's time base; the encoder does not always say.
    if (packet_->duration <= 0) packet_->duration = 1;
    av_packet_rescale_ts(packet_.get(), encoder_->time_base, stream_->time_base);
    packet_->stream_index = stream_->index;
    // Takes the packet's data (and leaves packet_ blank) whether or not it succeeds.
    check(av_interleaved_write_frame(format_.get(), packet_.get()), "writing to the file");
  }
}

void Mp4Encoder::finish() {
  check(avcodec_send_frame(encoder_.get(), nullptr), "flushing the encoder");
  writePackets();
  check(av_write_trailer(format_.get()), "finishing the MP4 file");
  // Closing flushes the last buffered bytes: a full disk can show up only here.
  check(avio_closep(&format_->pb), "closing the file");
}

}  // namespace fieldscope
