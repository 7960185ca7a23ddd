#pragma once
// The video model (VAE + latent diffusion over the rolled planes) as the viewer and the CLI use it
// (docs/architecture.md "The video domain"): a latent from a seed (or a blend of two, or encoded
// from a clip), its basis fields, and any frame -- any continuous time t in [0, 1], any part of the
// frame, any size -- decoded from them.
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "model/diffusion/ddim.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/util/compute_options.h"
#include "model/video/video_vae.h"

namespace fieldscope {

// A part of the frame, in frame units (0..1, top left origin).
struct FrameRegion {
  double x0 = 0, y0 = 0, x1 = 1, y1 = 1;
};

class VideoModel {
 public:
  // Loads a video `vae+ldm` (or `vae`: encode/reconstruct only) checkpoint. Throws naming the file.
  static std::unique_ptr<VideoModel> load(const std::filesystem::path& path, const ComputeOptions& compute = {});
  // Random weights of a preset (benchmarks, tests): pictures mean nothing.
  static std::unique_ptr<VideoModel> untrained(const std::string& preset, const ComputeOptions& compute = {},
                                               uint64_t seed = 0);

  bool canSample() const { return static_cast<bool>(ldm_.unet); }
  void setSamplerProgress(SamplerProgress onStep) { onStep_ = std::move(onStep); }

  // Latents N x Cz x rows x width (unscaled; ready for makeFields).
  torch::Tensor sampleLatents(const std::vector<uint64_t>& seeds, int steps = 50, float eta = 0.f);
  torch::Tensor sampleLatent(uint64_t seed, int steps = 50, float eta = 0.f) { return sampleLatents({seed}, steps, eta); }
  torch::Tensor sampleLatentBlend(uint64_t seedA, uint64_t seedB, float t, int steps = 50, float eta = 0.f);
  // Clips T x 3 x S x S (or N x T x 3 x S x S), colours in [0, 1] -> posterior-mean latents.
  torch::Tensor encode(const torch::Tensor& clips);

  // The basis fields of one latent.
  VideoFields makeFields(const torch::Tensor& latent);
  // The frame at clip time t (frame k of T at k / (T - 1); any t in [0, 1]) over `region`, as
  // height x width x 3 float colours in [0, 1] on the CPU. Chunked: bounded memory at any size.
  torch::Tensor decodeFrame(const VideoFields& fields, double t, int width, int height, const FrameRegion& region = {});

  int frames() const { return vae_->config().frames; }
  int size() const { return vae_->config().size; }
  const nlohmann::json& card() const { return card_; }
  const ComputeOptions& compute() const { return compute_; }
  VideoVae& vae() { return vae_; }

 private:
  VideoModel() = default;
  ComputeOptions compute_;
  VideoVae vae_{nullptr};
  LatentDiffusion ldm_;
  SamplerProgress onStep_;
  nlohmann::json card_;
};

}  // namespace fieldscope
