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

ResFcImpl::ResFcImpl(int64_t in, int64_t out) {
  fc0 = register_module("fc0", torch::nn::Linear(in, out));
  fc1 = register_module("fc1", torch::nn::Linear(out, out));
  if (in != out) shortcut = register_module("shortcut", torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)));
}

torch::Tensor ResFcImpl::forward(const torch::Tensor& x) {
  auto dx = fc1(torch::relu(fc0(torch::relu(x))));
  return (shortcut ? shortcut(x) : x) + dx;
}

torch::Tensor sampleTriplane(const torch::Tensor& planes, const torch::Tensor& unitPoints) {
  // Plane k's 2D coordinates: xy -> (x, y), xz -> (x, z), yz -> (y, z).
  const auto x = unitPoints.select(1, 0), y = unitPoints.select(1, 1), z = unitPoints.select(1, 2);
  auto grid = torch::stack({torch::stack({x, y}, 1), torch::stack({x, z}, 1), torch::stack({y, z}, 1)}, 0)
                  .unsqueeze(1)
                  .to(planes.dtype());  // 3 x 1 x P x 2
  namespace F = torch::nn::functional;
  auto s = F::grid_sample(planes, grid,
                          F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false));
  return s.sum(0).squeeze(1).transpose(0, 1);  // C x 1 x P -> P x C
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
  auto h = pointIn(p) + coarseIn(sampleTriplane(fields.levels[0], unit));
  h = middle(torch::cat({h, sampleTriplane(fields.levels[1], unit)}, 1));
  h = fine(torch::cat({h, sampleTriplane(fields.levels[2], unit)}, 1));
  h = last(h);
  return out(torch::relu(h)).squeeze(1);
}

TriplaneFields OccupancyDecoderImpl::randomFields(uint64_t seed, const torch::TensorOptions& options) const {
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(seed);
  TriplaneFields f;
  for (int64_t r : config_.fieldResolution)
    f.levels.push_back(torch::randn({3, config_.fieldChannels, r, r}, gen, torch::kFloat32).to(options));
  return f;
}

}  // namespace fieldscope
