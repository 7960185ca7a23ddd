#include "model/shape/occupancy_decoder.h"

#include <torch/torch.h>

#include <stdexcept>

namespace fieldscope {

OccupancyDecoderConfig OccupancyDecoderConfig::preset_(const std::string& name) {
  OccupancyDecoderConfig c;
  c.preset = name;
  if (name == "paper") {  // mlvlab/DDMI shape sizes
    c.fieldChannels = 64;
    c.width = 256;
    c.fieldResolution = {16, 32, 64};
  } else if (name == "tiny") {
    c.fieldChannels = 8;
    c.width = 32;
    c.fieldResolution = {4, 8, 16};
  } else if (name != "small") {
    throw std::runtime_error("unknown shape preset '" + name + "' (expected paper, small or tiny)");
  }
  return c;
}

torch::Tensor sampleTriplane(const torch::Tensor& planes, const torch::Tensor& unitPoints) {
  const bool batched = planes.dim() == 5;
  const auto P = batched ? planes : planes.unsqueeze(0);         // N x 3 x C x r x r
  const auto pts = batched ? unitPoints : unitPoints.unsqueeze(0);  // N x P x 3
  const int64_t N = P.size(0), C = P.size(2), r = P.size(3), count = pts.size(1);
  // Plane k's 2D coordinates: xy -> (x, y), xz -> (x, z), yz -> (y, z).
  const auto x = pts.select(2, 0), y = pts.select(2, 1), z = pts.select(2, 2);
  auto grid = torch::stack({torch::stack({x, y}, 2), torch::stack({x, z}, 2), torch::stack({y, z}, 2)}, 1)
                  .reshape({N * 3, 1, count, 2})
                  .to(planes.dtype());
  namespace F = torch::nn::functional;
  auto s = F::grid_sample(P.reshape({N * 3, C, r, P.size(4)}), grid,
                          F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false));
  auto summed = s.view({N, 3, C, count}).sum(1).transpose(1, 2);  // N x P x C
  return batched ? summed : summed.squeeze(0);
}

OccupancyDecoderImpl::OccupancyDecoderImpl(const OccupancyDecoderConfig& config) : config_(config) {
  const int64_t C = config.fieldChannels, W = config.width;
  pointIn = register_module("point_in", torch::nn::Linear(3, W));
  coarseIn = register_module("coarse_in", ResFc(C, W));
  middle = register_module("middle", ResFc(W + C, W));
  fine = register_module("fine", ResFc(W + C, W));
  last = register_module("last", ResFc(W, W));
  out = register_module("out", torch::nn::Linear(W, 1));
}

torch::Tensor OccupancyDecoderImpl::forward(const TriplaneFields& fields, const torch::Tensor& points) {
  if (fields.levels.size() != 3) throw std::runtime_error("occupancy decoder: expected 3 field levels");
  auto unit = points / config_.bound;
  auto dtype = fields.levels[0].scalar_type();
  auto p = points.to(dtype);
  const int64_t d = points.dim() - 1;  // the feature dimension: 1 for P x 3, 2 for N x P x 3
  auto h = pointIn(p) + coarseIn(sampleTriplane(fields.levels[0], unit));
  h = middle(torch::cat({h, sampleTriplane(fields.levels[1], unit)}, d));
  h = fine(torch::cat({h, sampleTriplane(fields.levels[2], unit)}, d));
  h = last(h);
  return out(torch::relu(h)).squeeze(d);
}

TriplaneFields OccupancyDecoderImpl::randomFields(uint64_t seed, const torch::TensorOptions& options) const {
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(seed);
  TriplaneFields f;
  for (int64_t r : config_.fieldResolution)
    f.levels.push_back(torch::randn({3, config_.fieldChannels, r, r}, gen, torch::kFloat32).to(options));
  return f;
}

}  // namespace fieldscope
