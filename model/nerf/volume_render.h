#pragma once
// NeRF's volume rendering in torch (docs/architecture.md "The NeRF domain"): each ray is sampled
// inside the scene box [-bound, bound]^3 -- stratified samples (jittered in training, bin
// centres otherwise), then importance samples drawn from their compositing weights -- and the
// field's densities and colours are composited front to back over a background:
//   alpha_k = 1 - exp(-sigma_k delta_k), w_k = T_k alpha_k, T_{k+1} = T_k (1 - alpha_k),
//   C = sum w_k c_k + T_end background,
// where sample k stands for the interval between the midpoints to its neighbours (the box's
// entry and exit at the ends). Rays are rendered in chunks, so an image of any size fits.
#include <torch/types.h>

#include <array>
#include <functional>
#include <optional>

#include "model/nerf/nerf_mlp.h"
#include "model/nerf/ray_camera.h"

namespace fieldscope {

// The field: points (P, 3) and unit directions (P, 3) -> densities and colours.
using FieldQuery = std::function<NerfSamples(const torch::Tensor& points, const torch::Tensor& directions)>;

struct VolumeRenderOptions {
  int stratified = 48;
  int importance = 48;
  double bound = 1.5;
  std::array<float, 3> background{1, 1, 1};
  std::optional<torch::Generator> jitter;  // training: random sample positions from it
  int64_t chunkRays = 2048;
};

struct RenderedRays {
  torch::Tensor rgb;      // (P, 3), background composited
  torch::Tensor depth;    // (P) expected distance of the weights (0 where nothing)
  torch::Tensor opacity;  // (P) sum of the weights
};

// Differentiable when the field is (training); render under NoGradGuard for pictures.
RenderedRays renderRays(const FieldQuery& field, const Rays& rays, const VolumeRenderOptions& o);

// Samples drawn from a piecewise-constant density over bins: edges (R, K+1), weights (R, K)
// -> (R, count) sorted. u: uniform numbers (R, count) in [0, 1) or, if undefined, evenly spaced.
torch::Tensor sampleFromWeights(const torch::Tensor& edges, const torch::Tensor& weights, int64_t count,
                                const torch::Tensor& u);

}  // namespace fieldscope
