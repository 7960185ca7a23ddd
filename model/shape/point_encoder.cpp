#include "model/shape/point_encoder.h"

#include <torch/torch.h>

namespace fieldscope {

torch::Tensor planeCellIndex(const torch::Tensor& points, double bound, int64_t resolution) {
  // [-bound, bound] -> cells 0..R-1, the same cell centres grid_sample(align_corners = false) reads.
  auto cell = ((points / bound + 1) * 0.5 * resolution).floor().clamp(0, resolution - 1).to(torch::kInt64);
  auto x = cell.select(2, 0), y = cell.select(2, 1), z = cell.select(2, 2);
  return torch::stack({y * resolution + x, z * resolution + x, z * resolution + y}, 1);  // N x 3 x T
}

namespace {

// Per plane, the maximum feature over the points of each cell, read back at every point and summed
// over the three planes (N x T x F).
torch::Tensor localPool(const torch::Tensor& features, const torch::Tensor& index, int64_t cells) {
  const int64_t N = features.size(0), T = features.size(1), F = features.size(2);
  auto src = features.unsqueeze(1).expand({N, 3, T, F});
  auto idx = index.unsqueeze(3).expand({N, 3, T, F});
  auto pooled = torch::full({N, 3, cells, F}, -1e30, features.options())
                    .scatter_reduce(2, idx, src, "amax", /*include_self=*/false);
  return pooled.gather(2, idx).sum(1);
}

}  // namespace

PointEncoderImpl::PointEncoderImpl(const ShapeVaeConfig& c) : resolution_(c.planeResolution), bound_(c.decoder.bound) {
  const int64_t h = c.pointHidden;
  posIn = register_module("pos_in", torch::nn::Linear(3, 2 * h));
  for (int i = 0; i < 5; ++i) blocks_.push_back(register_module("block" + std::to_string(i), ResFc(2 * h, h)));
  featureOut = register_module("feature_out", torch::nn::Linear(h, c.planeChannels));
}

torch::Tensor PointEncoderImpl::forward(const torch::Tensor& points) {
  const int64_t N = points.size(0), T = points.size(1), R = resolution_;
  auto index = planeCellIndex(points, bound_, R);
  auto net = blocks_[0](posIn(points / bound_));
  for (size_t i = 1; i < blocks_.size(); ++i) net = blocks_[i](torch::cat({net, localPool(net, index, R * R)}, 2));
  auto c = featureOut(net);  // N x T x C
  const int64_t C = c.size(2);
  // Mean of the point features in each cell of each plane (empty cells: 0).
  auto idx = index.unsqueeze(2).expand({N, 3, C, T});
  auto src = c.transpose(1, 2).unsqueeze(1).expand({N, 3, C, T});
  auto sums = torch::zeros({N, 3, C, R * R}, c.options()).scatter_add(3, idx, src);
  auto counts = torch::zeros({N, 3, 1, R * R}, c.options()).scatter_add(3, index.unsqueeze(2), torch::ones({N, 3, 1, T}, c.options()));
  return (sums / counts.clamp_min(1)).view({N, 3, C, R, R});
}

}  // namespace fieldscope
