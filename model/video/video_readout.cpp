#include "model/video/video_readout.h"

#include <torch/torch.h>

#include <stdexcept>

namespace fieldscope {

double videoUnitTime(double t, int frames) { return (2.0 * t * (frames - 1) + 1.0) / frames - 1.0; }

double videoUnitPixel(int64_t i, int64_t n, double lo, double hi) {
  return 2.0 * (lo + (double(i) + 0.5) / double(n) * (hi - lo)) - 1.0;
}

torch::Tensor sampleRolledPlanes(const torch::Tensor& level, int64_t xyRows, int64_t timeRows,
                                 const torch::Tensor& unitPoints) {
  const bool batched = level.dim() == 4;
  const auto L = batched ? level : level.unsqueeze(0);              // N x F x R x W
  const auto pts = batched ? unitPoints : unitPoints.unsqueeze(0);  // N x P x 3
  if (L.size(2) != xyRows + 2 * timeRows)
    throw std::logic_error("sampleRolledPlanes: the level's rows are not xy + 2 time planes");
  const auto x = pts.select(2, 0), y = pts.select(2, 1), t = pts.select(2, 2);
  namespace F = torch::nn::functional;
  const auto opts = F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false);
  auto read = [&](int64_t row0, int64_t rows, const torch::Tensor& u, const torch::Tensor& v) {
    auto grid = torch::stack({u, v}, 2).unsqueeze(1).to(L.dtype());  // N x 1 x P x 2 (column, row)
    return F::grid_sample(L.narrow(2, row0, rows), grid, opts).squeeze(2);  // N x F x P
  };
  auto f = torch::cat({read(0, xyRows, x, y), read(xyRows, timeRows, x, t), read(xyRows + timeRows, timeRows, y, t)}, 1)
               .transpose(1, 2);  // N x P x 3F
  return batched ? f : f.squeeze(0);
}

VideoReadoutImpl::VideoReadoutImpl(const VideoVaeConfig& c) {
  const int64_t F3 = 3 * int64_t(c.fieldChannels), W = c.mlpWidth;
  pointIn = register_module("point_in", torch::nn::Linear(3, W));
  coarseIn = register_module("coarse_in", ResFc(F3, W));
  middle = register_module("middle", ResFc(W + F3, W));
  fine = register_module("fine", ResFc(W + F3, W));
  last = register_module("last", ResFc(W, W));
  out = register_module("out", torch::nn::Linear(W, 3));
}

torch::Tensor VideoReadoutImpl::forward(const VideoFields& fields, const torch::Tensor& unitPoints) {
  if (fields.levels.size() != 3) throw std::runtime_error("video readout: expected 3 field levels");
  const auto dtype = fields.levels[0].scalar_type();
  const auto p = unitPoints.to(dtype);
  const int64_t d = p.dim() - 1;
  auto level = [&](int k) {
    return sampleRolledPlanes(fields.levels[k], fields.xyRows << k, fields.timeRows << k, p);
  };
  auto h = pointIn(p) + coarseIn(level(0));
  h = middle(torch::cat({h, level(1)}, d));
  h = fine(torch::cat({h, level(2)}, d));
  h = last(h);
  return out(torch::relu(h));
}

}  // namespace fieldscope
