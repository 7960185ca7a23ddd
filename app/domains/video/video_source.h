#pragma once
// Video-model samples as viewer field sources (docs/architecture.md "The video domain"): the
// checkpoint loads at once (a bad file is reported where the user opened it); diffusion sampling
// and the field decoder run on the worker thread at the first decode, and the basis fields are kept
// for every later tile. The tile cache's time index is the playhead's key (playhead.h): every
// (sample, time) has its own tiles, decoded from the field at that time.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <torch/types.h>

#include "app/gui/field_source.h"
#include "app/gui/sampled_once.h"
#include "model/video/video_readout.h"

namespace fieldscope {

class VideoModel;
struct ComputeOptions;

struct VideoSampleSpec {
  uint64_t seed = 0;
  int steps = 50;
  bool blend = false;
  uint64_t seedB = 1;
  float blendT = 0.f;
  bool operator==(const VideoSampleSpec&) const = default;
};

struct LoadedVideoModel {
  std::filesystem::path path;
  std::shared_ptr<VideoModel> model;
  std::string describe() const { return path.filename().string(); }
};

// Throws naming the file and the problem; a VAE without diffusion cannot sample and is refused.
std::shared_ptr<LoadedVideoModel> loadVideoModel(const std::filesystem::path& path, const ComputeOptions& compute);

class VideoSource final : public FieldSource {
 public:
  VideoSource(std::shared_ptr<LoadedVideoModel> model, VideoSampleSpec spec);
  std::string name() const override;
  bool bounded() const override { return true; }
  std::string progressNote() const override;
  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override { decodeRegionAt(0, r, W, H, out); }
  void decodeRegionAt(int64_t time, const Region& r, int W, int H, const PixelTarget& out) override;
  // The whole frame at any clip time t as height x width x 3 floats in [0, 1] (exports). Worker thread.
  torch::Tensor decodeFrame(double t, int width, int height);
  const VideoSampleSpec& spec() const { return spec_; }
  int frames() const;

 private:
  const VideoFields& fields();  // sampled at the first call, kept (or its error kept)
  std::shared_ptr<LoadedVideoModel> model_;
  VideoSampleSpec spec_;
  SampledOnce<VideoFields> sampled_;
};

// A source that shows `inner` (a clip or the clip grid) at one time key (the PNG export of the
// frame on screen).
std::shared_ptr<FieldSource> videoSourceAt(std::shared_ptr<FieldSource> inner, int64_t timeKey);

}  // namespace fieldscope
