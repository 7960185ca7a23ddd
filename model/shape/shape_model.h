#pragma once
// The shape model (VAE + triplane latent diffusion) as the viewer and the CLI use it
// (docs/architecture.md "Models"): a latent from a seed (or a blend of two, or encoded from a point
// cloud), its basis fields, and the occupancy grid baked from them at any resolution.
#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "model/diffusion/latent_diffusion.h"
#include "model/diffusion/seeded_sampling.h"
#include "model/shape/occupancy_grid.h"
#include "model/shape/shape_vae.h"
#include "model/util/compute_options.h"

namespace fieldscope {

class ShapeModel {
 public:
  // Loads a shape `vae+ldm` (or `vae`: encode/reconstruct only) checkpoint. Throws naming the file.
  static std::unique_ptr<ShapeModel> load(const std::filesystem::path& path, const ComputeOptions& compute = {});
  // Random weights of a preset (benchmarks, tests): pictures mean nothing.
  static std::unique_ptr<ShapeModel> untrained(const std::string& preset, const ComputeOptions& compute = {},
                                               uint64_t seed = 0);

  bool canSample() const { return static_cast<bool>(ldm_.unet); }
  void setSamplerProgress(SamplerProgress onStep) { onStep_ = std::move(onStep); }

  // Latents 1 x 3 x C x r x r (unscaled; ready for makeFields).
  torch::Tensor sampleLatent(uint64_t seed, int steps = 50, float eta = 0.f);
  torch::Tensor sampleLatents(const std::vector<uint64_t>& seeds, int steps = 50, float eta = 0.f);
  torch::Tensor sampleLatentBlend(uint64_t seedA, uint64_t seedB, float t, int steps = 50, float eta = 0.f);
  // Surface points (T x 3 or N x T x 3, in the shape box) -> posterior-mean latents N x 3 x C x r x r.
  torch::Tensor encode(const torch::Tensor& points);

  // The basis fields of one latent (levels 3 x C x r_k x r_k).
  TriplaneFields makeFields(const torch::Tensor& latent);
  // Occupancy logits at n^3 voxel centres of [-bound, bound]^3 into out (n x n x n float32, [z][y][x]).
  // Bounded memory (chunked); false when cancelled.
  bool bake(const TriplaneFields& fields, int64_t n, torch::Tensor out, const BakeOptions& options = {});
  // Logits at arbitrary points P x 3 (chunked).
  torch::Tensor occupancyAt(const TriplaneFields& fields, const torch::Tensor& points);

  double bound() const { return vae_->config().decoder.bound; }
  int pointCount() const { return vae_->config().pointCount; }
  const nlohmann::json& card() const { return card_; }
  const ComputeOptions& compute() const { return compute_; }
  ShapeVae& vae() { return vae_; }

 private:
  ShapeModel() = default;
  SeededSampling sampling(int steps, float eta);
  ComputeOptions compute_;
  ShapeVae vae_{nullptr};
  LatentDiffusion ldm_;
  SamplerProgress onStep_;
  nlohmann::json card_;
};

// The logit of an occupancy probability (the iso-level the user picks as a probability).
double probabilityToLogit(double p);

}  // namespace fieldscope
