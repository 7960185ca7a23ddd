#pragma once
// Latents from seeds through a trained latent diffusion model: one seed, a batch of seeds, the
// slerp of two seeds' noises, or a weighted mix of several (the viewer's seed plane). Every domain's
// model (image, shape, ...) samples through these, whatever its latent's shape
// (docs/architecture.md "Models"). The initial noise is drawn on the CPU and moved, so a seed gives
// the same latent on every device and in any batch.
#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "model/diffusion/ddim.h"
#include "model/diffusion/latent_diffusion.h"

namespace fieldscope {

struct SeededSampling {
  LatentDiffusion* ldm = nullptr;  // must have a UNet
  std::vector<int64_t> shape;     // the latent's shape without the batch, as the UNet sees it
  torch::Device device{torch::kCPU};
  int steps = 50;
  float eta = 0.f;
  SamplerProgress onStep;  // may be empty
  // A class-conditional model's class and guidance (class_guidance.h); inactive: unconditional.
  // kAnyClass: each seed its own class (classOfSeed); a blend samples the nearer seed's class, a
  // mix the heaviest seed's.
  ClassGuidance guidance;
};

// Each returns N x shape fp32 on s.device, unscaled (divided by the model's latent scale).
torch::Tensor sampleSeeds(const SeededSampling& s, const std::vector<uint64_t>& seeds);
torch::Tensor sampleSeedBlend(const SeededSampling& s, uint64_t seedA, uint64_t seedB, float t);
// sum w_i n_i / sqrt(sum w_i^2) (unit variance again). One seed with weight 1 gives exactly
// sampleSeeds({seed}). Throws std::invalid_argument for no seeds, a size mismatch or all-zero weights.
torch::Tensor sampleSeedMix(const SeededSampling& s, const std::vector<uint64_t>& seeds,
                            const std::vector<float>& weights);

}  // namespace fieldscope
