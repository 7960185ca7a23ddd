#pragma once
// The test-view PSNR of a NeRF field (docs/architecture.md "The NeRF domain"): what fitting,
// the VAE and the sampled-scene scores report.
#include <cstdint>

#include "model/nerf/nerf_field.h"
#include "model/nerf/nerf_views.h"

namespace fieldscope {

// The mean PSNR (dB) of the field's renders of `views` (deterministic samples); the first
// `maxViews` views (0: all).
double meanViewPsnr(const NerfField& field, const NerfViews& views, int64_t maxViews = 0);

}  // namespace fieldscope
