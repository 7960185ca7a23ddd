#pragma once
// Internal to fieldscope_video_io: one MP4 file being encoded (muxer + encoder + RGB->YUV
// conversion). mp4_writer.cpp owns the policy (settings, codec choice, atomic write, cancel);
// this class owns the libav objects and their order of use.
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/video_io/frame_source.h"
#include "model/video_io/libav_util.h"
#include "model/video_io/mp4_writer.h"

namespace fieldscope {

struct Mp4EncoderConfig {
  const AVCodec* codec = nullptr;  // libx264 or mpeg4
  int width = 0;                   // even
  int height = 0;                  // even
  FrameRate frameRate;
  int crf = 18;
  std::string preset = "medium";
};

class Mp4Encoder {
 public:
  // Creates `file` (any name: the container is chosen explicitly) and writes the header. Throws
  // std::runtime_error with the libav error text; the caller removes the file.
  Mp4Encoder(const std::filesystem::path& file, const Mp4EncoderConfig& config);

  // Converts and encodes one frame (at least width x height; extra columns/rows are dropped)
  // as frame number `index` (its timestamp is index / frame rate).
  void encode(const FrameView& frame, int64_t index);

  // Flushes the encoder's delayed frames, writes the index and closes the file.
  void finish();

 private:
  void openOutput(const std::filesystem::path& file);
  void openEncoder(const Mp4EncoderConfig& config);
  void convert(const FrameView& frame);
  void writePackets();

  libav::OutputFormatPtr format_;
  libav::CodecContextPtr encoder_;
  AVStream* stream_ = nullptr;  // owned by format_
  libav::SwsPtr sws_;
  PixelLayout swsLayout_ = PixelLayout::Rgba8;
  libav::FramePtr yuv_;
  libav::PacketPtr packet_;
};

}  // namespace fieldscope
