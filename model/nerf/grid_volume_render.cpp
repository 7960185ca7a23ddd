#include "model/nerf/grid_volume_render.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace fieldscope {
namespace {

RenderedRays marchChunk(const torch::Tensor& volume, double bound, const Rays& r, double dt,
                        const std::array<float, 3>& background) {
  namespace F = torch::nn::functional;
  const int64_t R = r.origins.size(0);
  auto [t0, t1] = boxInterval(r, bound);
  const int64_t K = std::max<int64_t>(1, int64_t(std::ceil(2.0 * std::sqrt(3.0) * bound / dt)) + 1);
  const auto opts = t0.options();
  const torch::Tensor t = t0.unsqueeze(1) + (torch::arange(K, opts).unsqueeze(0) + 0.5) * dt;  // (R, K)
  const torch::Tensor valid = t < t1.unsqueeze(1);
  const torch::Tensor pts = r.origins.unsqueeze(1) + t.unsqueeze(2) * r.directions.unsqueeze(1);  // (R, K, 3)
  // grid_sample with align_corners = false puts voxel centres where the grid's layout has them;
  // border padding clamps the coordinate to the outer centres.
  const torch::Tensor g = (pts / bound).view({1, R, K, 1, 3});
  const torch::Tensor s = F::grid_sample(volume, g,
                                         F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false))
                              .view({4, R, K});
  const torch::Tensor sigma = s[0].clamp_min(0.0) * valid;
  const torch::Tensor rgb = s.narrow(0, 1, 3).clamp(0.0, 1.0).permute({1, 2, 0});  // (R, K, 3)
  const torch::Tensor alpha = 1.0 - torch::exp(-sigma * dt);
  const torch::Tensor transmit = torch::cumprod(1.0 - alpha, 1);
  torch::Tensor before = torch::cat({torch::ones({R, 1}, opts), transmit.narrow(1, 0, K - 1)}, 1);
  // Early ray termination: a sample taken once the transmittance fell below the threshold adds
  // nothing (the shader stops there).
  const torch::Tensor live = before >= kGridMarchStopTransmittance;
  const torch::Tensor w = alpha * before * live;
  RenderedRays out;
  out.opacity = w.sum(1);
  out.depth = (w * t).sum(1);
  const torch::Tensor bg = torch::tensor({background[0], background[1], background[2]}, opts).view({1, 3});
  out.rgb = (w.unsqueeze(2) * rgb).sum(1) + (1.0 - out.opacity).unsqueeze(1) * bg;
  return out;
}

}  // namespace

RenderedRays renderGridRays(const torch::Tensor& grid, double bound, const Rays& rays, double stepVoxels,
                            const std::array<float, 3>& background, int64_t chunkRays) {
  const int64_t n = grid.size(0);
  const torch::Tensor volume = grid.to(torch::kFloat32).permute({3, 0, 1, 2}).unsqueeze(0).contiguous();  // (1, 4, z, y, x)
  const double dt = stepVoxels * 2.0 * bound / double(n);
  const int64_t P = rays.origins.size(0);
  std::vector<torch::Tensor> rgb, depth, opacity;
  for (int64_t s = 0; s < P; s += chunkRays) {
    const int64_t c = std::min(chunkRays, P - s);
    RenderedRays part = marchChunk(volume, bound, {rays.origins.narrow(0, s, c), rays.directions.narrow(0, s, c)}, dt, background);
    rgb.push_back(part.rgb);
    depth.push_back(part.depth);
    opacity.push_back(part.opacity);
  }
  return {torch::cat(rgb), torch::cat(depth), torch::cat(opacity)};
}

}  // namespace fieldscope
