#include "model/video_io/video_reader.h"

extern "C" {
#include <libavutil/dict.h>
#include <libavutil/pixdesc.h>
}

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "model/video_io/libav_util.h"

namespace fieldscope {
namespace fs = std::filesystem;

namespace {

// The matrix swscale should use to turn this frame's Y'CbCr into RGB. Untagged video gets the
// guess players make: BT.709 from 720 lines up, BT.601 below.
int swsColorspace(const AVFrame& f) {
  switch (f.colorspace) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: return f.height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
  }
}

bool fullRange(const AVFrame& f) {
  if (f.color_range == AVCOL_RANGE_JPEG) return true;
  const auto fmt = static_cast<AVPixelFormat>(f.format);
  // The deprecated "J" formats mean full range without saying so in color_range.
  return fmt == AV_PIX_FMT_YUVJ420P || fmt == AV_PIX_FMT_YUVJ422P || fmt == AV_PIX_FMT_YUVJ444P ||
         fmt == AV_PIX_FMT_YUVJ440P || fmt == AV_PIX_FMT_YUVJ411P;
}

std::string orUnknown(const char* name) { return name ? name : "unknown"; }

// The video stream's duration in seconds, 0 when unknown. MP4 stores it per stream; Matroska
// often only per file (plus a per-track DURATION tag written by FFmpeg and mkvmerge). The
// file's duration is used only when the video is the file's only stream: audio may be longer.
double videoDuration(const AVFormatContext& format, const AVStream& stream) {
  if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0)
    return static_cast<double>(stream.duration) * av_q2d(stream.time_base);
  if (const AVDictionaryEntry* tag = av_dict_get(stream.metadata, "DURATION", nullptr, 0)) {
    int h = 0, m = 0;
    double sec = 0;
    if (std::sscanf(tag->value, "%d:%d:%lf", &h, &m, &sec) == 3) return h * 3600.0 + m * 60.0 + sec;
  }
  if (format.nb_streams == 1 && format.duration != AV_NOPTS_VALUE && format.duration > 0)
    return static_cast<double>(format.duration) / AV_TIME_BASE;
  return 0;
}

std::string secondsText(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

// Everything the RGB conversion depends on: a change mid-stream (rare, but legal) rebuilds it.
struct ConversionKey {
  int srcWidth = 0, srcHeight = 0, srcFormat = -1, colorspace = -1;
  bool srcFull = false;
  int dstWidth = 0, dstHeight = 0;
  bool operator==(const ConversionKey&) const = default;
};

struct PacketUnref {
  AVPacket* packet;
  ~PacketUnref() { av_packet_unref(packet); }
};

}  // namespace

struct VideoReader::Impl {
  fs::path path;
  VideoReadOptions options;
  VideoStreamInfo info;
  libav::InputFormatPtr format;
  libav::CodecContextPtr decoder;
  AVStream* stream = nullptr;  // owned by format
  libav::PacketPtr packet = libav::allocPacket();
  libav::FramePtr decoded = libav::allocFrame();
  libav::FramePtr rgb;
  libav::SwsPtr sws;
  ConversionKey key;
  bool draining = false;
  bool finished = false;
  int64_t framesReturned = 0;
  int64_t packetsRead = 0;
  int64_t lastPacketEnd = AV_NOPTS_VALUE;  // pts + duration of the latest video packet

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("cannot read video '" + path.string() + "': " + why);
  }
  void check(int ret, const std::string& what) const {
    if (ret < 0) fail(what + ": " + libav::errorString(ret));
  }

  void open();
  void fillInfo();
  void toRgb(VideoFrame& out);
  void checkComplete() const;
  double seconds(int64_t ts) const {
    const int64_t start = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    return static_cast<double>(ts - start) * av_q2d(stream->time_base);
  }
};

void VideoReader::Impl::open() {
  if (options.maxFrames < 0) fail("maxFrames is negative");
  if ((options.width == 0) != (options.height == 0) || options.width < 0 || options.height < 0)
    fail("resize size " + std::to_string(options.width) + "x" + std::to_string(options.height) +
         " must be both positive or both 0");
  std::error_code ec;
  if (!fs::exists(path, ec)) fail("no such file");
  if (fs::is_directory(path, ec)) fail("it is a folder");
  if (fs::file_size(path, ec) == 0 && !ec) fail("the file is empty (0 bytes)");

  AVFormatContext* raw = nullptr;
  check(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), "not a video file this FFmpeg build can read");
  format.reset(raw);
  // Probing decodes a frame of a picture container (image2's JPEG): the pixel limit applies there too.
  std::vector<AVDictionary*> probeOptions(format->nb_streams, nullptr);
  if (options.maxPixels > 0)
    for (AVDictionary*& d : probeOptions) av_dict_set_int(&d, "max_pixels", options.maxPixels, 0);
  const int probed = avformat_find_stream_info(format.get(), probeOptions.empty() ? nullptr : probeOptions.data());
  for (AVDictionary*& d : probeOptions) av_dict_free(&d);
  check(probed, "cannot find the streams (corrupt or truncated file?)");

  if (format->nb_streams == 0) fail("no streams found in the file (cut short or corrupt?)");
  const AVCodec* codec = nullptr;
  const int index = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (index == AVERROR_STREAM_NOT_FOUND) fail("no video stream found (not a video, or its header is cut short or corrupt)");
  if (index == AVERROR_DECODER_NOT_FOUND) fail("this FFmpeg build has no decoder for its video codec");
  check(index, "choosing the video stream");
  stream = format->streams[index];
  for (unsigned i = 0; i < format->nb_streams; ++i)
    if (static_cast<int>(i) != index) format->streams[i]->discard = AVDISCARD_ALL;

  decoder.reset(avcodec_alloc_context3(codec));
  if (!decoder) fail("out of memory setting up the decoder");
  check(avcodec_parameters_to_context(decoder.get(), stream->codecpar), "setting up the decoder");
  if (options.decoderThreads < 0) fail("decoderThreads is negative");
  decoder->thread_count = options.decoderThreads;
  decoder->pkt_timebase = stream->time_base;
  if (options.maxPixels > 0) decoder->max_pixels = options.maxPixels;
  check(avcodec_open2(decoder.get(), codec, nullptr), std::string("opening the ") + codec->name + " decoder");
  fillInfo();
}

void VideoReader::Impl::fillInfo() {
  const AVCodecParameters& p = *stream->codecpar;
  info.container = format->iformat->name;
  info.codec = avcodec_get_name(p.codec_id);
  info.pixelFormat = orUnknown(av_get_pix_fmt_name(static_cast<AVPixelFormat>(p.format)));
  info.width = p.width;
  info.height = p.height;
  info.frameRateNum = stream->avg_frame_rate.num;
  info.frameRateDen = stream->avg_frame_rate.den;
  info.timeBaseNum = stream->time_base.num;
  info.timeBaseDen = stream->time_base.den;
  info.frameCount = stream->nb_frames;
  info.durationSeconds = videoDuration(*format, *stream);
  info.colorSpace = orUnknown(av_color_space_name(p.color_space));
  info.colorPrimaries = orUnknown(av_color_primaries_name(p.color_primaries));
  info.colorTransfer = orUnknown(av_color_transfer_name(p.color_trc));
  info.colorRange = orUnknown(av_color_range_name(p.color_range));
}

void VideoReader::Impl::toRgb(VideoFrame& out) {
  const AVFrame& f = *decoded;
  ConversionKey k;
  k.srcWidth = f.width;
  k.srcHeight = f.height;
  k.srcFormat = f.format;
  k.colorspace = swsColorspace(f);
  k.srcFull = fullRange(f);
  k.dstWidth = options.width ? options.width : f.width;
  k.dstHeight = options.height ? options.height : f.height;
  if (!sws || !(k == key)) {
    const bool shrinking = k.dstWidth < k.srcWidth && k.dstHeight < k.srcHeight;
    // Area averaging when shrinking (no aliasing); bicubic otherwise. Full chroma
    // interpolation keeps coloured edges sharp.
    const int flags = (shrinking ? SWS_AREA : SWS_BICUBIC) | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT;
    sws.reset(sws_getContext(k.srcWidth, k.srcHeight, static_cast<AVPixelFormat>(k.srcFormat), k.dstWidth,
                             k.dstHeight, AV_PIX_FMT_RGB24, flags, nullptr, nullptr, nullptr));
    if (!sws) fail("cannot convert its pixel format " + orUnknown(av_get_pix_fmt_name(static_cast<AVPixelFormat>(f.format))) + " to RGB");
    const int* coefficients = sws_getCoefficients(k.colorspace);
    // Fails (harmlessly) for sources that are RGB already: there is no matrix to set.
    sws_setColorspaceDetails(sws.get(), coefficients, k.srcFull ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16);
    rgb = libav::allocFrame();
    rgb->format = AV_PIX_FMT_RGB24;
    rgb->width = k.dstWidth;
    rgb->height = k.dstHeight;
    check(av_frame_get_buffer(rgb.get(), 0), "allocating an RGB frame");
    key = k;
  }
  const int rows = sws_scale(sws.get(), f.data, f.linesize, 0, f.height, rgb->data, rgb->linesize);
  if (rows != k.dstHeight) fail("converting frame " + std::to_string(framesReturned) + " to RGB failed");

  out.width = k.dstWidth;
  out.height = k.dstHeight;
  const size_t rowBytes = static_cast<size_t>(k.dstWidth) * 3;
  out.rgb.resize(rowBytes * k.dstHeight);
  for (int y = 0; y < k.dstHeight; ++y)
    std::memcpy(out.rgb.data() + y * rowBytes, rgb->data[0] + static_cast<size_t>(y) * rgb->linesize[0], rowBytes);

  int64_t pts = f.best_effort_timestamp;
  if (pts == AV_NOPTS_VALUE) {
    // No timestamp at all: assume a constant frame rate from the stream's start.
    const AVRational rate = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : AVRational{25, 1};
    const int64_t start = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    pts = start + av_rescale_q(framesReturned, av_inv_q(rate), stream->time_base);
  }
  out.pts = pts;
  out.timeSeconds = seconds(pts);
}

// Called at the end of the file: a file that stops before what its header promises was cut
// short (an interrupted copy or download), and silently returning fewer frames would hide it.
void VideoReader::Impl::checkComplete() const {
  if (info.frameCount > 0 && packetsRead < info.frameCount)
    fail("the file ends after " + std::to_string(packetsRead) + " of the " + std::to_string(info.frameCount) +
         " frames its header lists (truncated file?)");
  if (info.durationSeconds > 0 && lastPacketEnd != AV_NOPTS_VALUE) {
    const double frameTime = stream->avg_frame_rate.num > 0 ? 1.0 / av_q2d(stream->avg_frame_rate) : 0.1;
    const double end = seconds(lastPacketEnd);
    if (end + 0.5 + 2 * frameTime < info.durationSeconds)
      fail("the video stops at " + secondsText(end) + " but its header says it lasts " +
           secondsText(info.durationSeconds) + " (truncated file?)");
  }
}

VideoReader::VideoReader(const fs::path& path, const VideoReadOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->options = options;
  impl_->open();
}

VideoReader::~VideoReader() = default;

const VideoStreamInfo& VideoReader::info() const { return impl_->info; }

bool VideoReader::next(VideoFrame& frame) {
  Impl& d = *impl_;
  for (;;) {
    if (d.finished || (d.options.maxFrames > 0 && d.framesReturned >= d.options.maxFrames)) return false;
    const int got = avcodec_receive_frame(d.decoder.get(), d.decoded.get());
    if (got == 0) {
      d.toRgb(frame);
      av_frame_unref(d.decoded.get());
      ++d.framesReturned;
      return true;
    }
    if (got == AVERROR_EOF) {
      d.finished = true;
      d.checkComplete();
      return false;
    }
    if (got != AVERROR(EAGAIN)) d.check(got, "decoding frame " + std::to_string(d.framesReturned));
    if (d.draining) d.fail("the decoder stopped while returning its last frames");

    // The decoder wants more input.
    const int read = av_read_frame(d.format.get(), d.packet.get());
    if (read == AVERROR_EOF) {
      d.check(avcodec_send_packet(d.decoder.get(), nullptr), "flushing the decoder");
      d.draining = true;
      continue;
    }
    d.check(read, "reading packet " + std::to_string(d.packetsRead));
    const PacketUnref unref{d.packet.get()};
    if (d.packet->stream_index != d.stream->index) continue;
    ++d.packetsRead;
    if (d.packet->flags & AV_PKT_FLAG_CORRUPT)
      d.fail("packet " + std::to_string(d.packetsRead - 1) + " is cut short or corrupt (truncated file?)");
    if (d.packet->pts != AV_NOPTS_VALUE) {
      const int64_t end = d.packet->pts + std::max<int64_t>(d.packet->duration, 0);
      if (d.lastPacketEnd == AV_NOPTS_VALUE || end > d.lastPacketEnd) d.lastPacketEnd = end;
    }
    d.check(avcodec_send_packet(d.decoder.get(), d.packet.get()),
            "decoding packet " + std::to_string(d.packetsRead - 1) + " (corrupt file?)");
  }
}

std::vector<VideoFrame> readVideoFrames(const fs::path& path, const VideoReadOptions& options) {
  VideoReader reader(path, options);
  std::vector<VideoFrame> frames;
  VideoFrame f;
  while (reader.next(f)) frames.push_back(std::move(f));
  return frames;
}

}  // namespace fieldscope
