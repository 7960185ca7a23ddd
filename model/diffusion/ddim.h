#pragma once
// DDIM sampling (Song et al.): `steps` evenly spaced timesteps from T-1 down to 0, η = 0
// deterministic, η = 1 DDPM-like. The initial noise and every η-noise come from per-sample
// generators seeded from the sample's seed, so a seed gives the same latent in any batch.
#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "model/diffusion/schedule.h"
#include "model/diffusion/unet.h"

namespace fieldscope {

// The DDIM timesteps, descending (steps clamped to [1, T]).
std::vector<int64_t> ddimTimesteps(int64_t T, int steps);
// The DDMI authors' DDIM timesteps: int(linspace(-1, T-1, steps+1)) in float32, reversed, without
// the final -1 (for 50 steps: 999, 979, ..., 19); the step after the last returns the predicted x0.
std::vector<int64_t> ddmiTimesteps(int64_t T, int steps);
// The schedule's own rule (DiffusionSchedule::spacing).
std::vector<int64_t> samplerTimesteps(const DiffusionSchedule& sched, int steps);

// Standard normal noise of `shape` (without batch) for `seed`; also returns the generator,
// positioned after it, for the sampler's η noise.
torch::Tensor seedNoise(uint64_t seed, torch::IntArrayRef shape, torch::Generator* continueWith = nullptr);

// Spherical interpolation between two noises (keeps their norm statistics).
torch::Tensor slerp(const torch::Tensor& a, const torch::Tensor& b, double t);

// Runs the sampler from xT (N x C x r x r, fp32, on the UNet's device). gens: one CPU generator per
// sample (for η > 0). The update arithmetic runs in xT's dtype whatever the UNet's precision.
// onStep(done, total) is called after each step (progress lines; may be empty).
using SamplerProgress = std::function<void(int done, int total)>;
torch::Tensor ddimSample(UNet& unet, const DiffusionSchedule& sched, torch::Tensor xT, int steps, double eta,
                         std::vector<torch::Generator>& gens, const SamplerProgress& onStep = {});

// The same sampler around any ε predictor: eps(x, t, sqrt(1 - abar_t)) with t an N-vector of
// timesteps (a conditioned UNet, or one evaluated in overlapping tiles of a large latent).
// `cancelled` (may be empty) is asked before each step; when it says yes the sampler returns an
// undefined tensor.
using EpsilonFn = std::function<torch::Tensor(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& sqrtOneMinusAbar)>;
torch::Tensor ddimSampleWith(const EpsilonFn& eps, const DiffusionSchedule& sched, torch::Tensor xT, int steps,
                             double eta, std::vector<torch::Generator>& gens, const SamplerProgress& onStep = {},
                             const std::function<bool()>& cancelled = {});

}  // namespace fieldscope
