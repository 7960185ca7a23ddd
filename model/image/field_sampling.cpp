#include "model/image/field_sampling.h"

#include <torch/torch.h>

namespace fieldscope {
namespace F = torch::nn::functional;

torch::Tensor sampleFieldAt(const torch::Tensor& field, const torch::Tensor& coords) {
  auto grid = (coords * 2 - 1).unsqueeze(1).to(field.scalar_type());  // N x 1 x P x 2 in [-1,1]
  auto out = F::grid_sample(field, grid,
                            F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false));
  return out.squeeze(2).permute({0, 2, 1});  // N x P x C
}

AxisLerp axisLerp(const torch::Tensor& pos, int64_t size) {
  // texel space: sample k sits at k; border padding clamps into [0, size-1]
  auto u = (pos.to(torch::kFloat64) * static_cast<double>(size) - 0.5).clamp(0.0, static_cast<double>(size - 1));
  auto f = u.floor();
  AxisLerp a;
  a.i0 = f.to(torch::kInt64);
  a.i1 = (a.i0 + 1).clamp_max(size - 1);
  a.w = (u - f).to(torch::kFloat32);
  return a;
}

torch::Tensor pixelCentres(double a, double b, int64_t n, torch::Device device) {
  return a + (torch::arange(n, torch::dtype(torch::kFloat64).device(device)) + 0.5) * ((b - a) / static_cast<double>(n));
}

torch::Tensor lerpColumns(const torch::Tensor& f, const AxisLerp& xs) {
  auto left = f.index_select(2, xs.i0), right = f.index_select(2, xs.i1);
  return torch::lerp(left, right, xs.w.to(f.scalar_type()).view({1, 1, -1, 1}));
}

torch::Tensor lerpRows(const torch::Tensor& c, const AxisLerp& ys) {
  auto top = c.index_select(1, ys.i0), bottom = c.index_select(1, ys.i1);
  return torch::lerp(top, bottom, ys.w.to(c.scalar_type()).view({1, -1, 1, 1}));
}

}  // namespace fieldscope
