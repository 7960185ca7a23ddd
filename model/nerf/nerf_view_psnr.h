#pragma once
// How a NeRF field matches posed pictures (docs/architecture.md "The NeRF domain"): the test-view
// PSNR that fitting, the VAE and the sampled-scene scores report, and the training loss on a
// random batch of pixels that fitting and the VAE minimise.
#include <cstdint>

#include "model/nerf/nerf_field.h"
#include "model/nerf/nerf_views.h"

namespace fieldscope {

// The mean PSNR (dB) of the field's renders of `views` (deterministic samples); the first
// `maxViews` views (0: all).
double meanViewPsnr(const NerfField& field, const NerfViews& views, int64_t maxViews = 0);

// The MSE of `rays` random pixels of `batch` (drawn with `gen`) volume-rendered through `field`
// with jittered samples; differentiable in the field's planes and MLP.
torch::Tensor randomRaysMse(const NerfField& field, const RayBatch& batch, int64_t rays, torch::Generator gen);

}  // namespace fieldscope
