#include "model/nerf/nerf_mlp.h"

#include <torch/torch.h>

#include <algorithm>
#include <string>

#include "model/nerf/fourier_features.h"

namespace fieldscope {

NerfMlpImpl::NerfMlpImpl(const NerfConfig& c) : c_(c) {
  const int64_t in = c.featureChannels() + c.positionEncodingSize();
  for (int k = 0; k < c.depth; ++k) {
    const bool skip = std::find(c.skips.begin(), c.skips.end(), k) != c.skips.end();
    const int64_t fanIn = k == 0 ? in : c.width + (skip ? in : 0);
    layers_.push_back(register_module("layer" + std::to_string(k), torch::nn::Linear(fanIn, c.width)));
  }
  sigmaOut = register_module("sigma", torch::nn::Linear(c.width, 1));
  feature = register_module("feature", torch::nn::Linear(c.width, c.width));
  colourHidden = register_module("colour_hidden", torch::nn::Linear(c.width + c.directionEncodingSize(), c.width / 2 + 1));
  colourOut = register_module("colour", torch::nn::Linear(c.width / 2 + 1, 3));
}

torch::Tensor NerfMlpImpl::trunk(const torch::Tensor& features, const torch::Tensor& points) {
  const torch::Tensor input = torch::cat({features, fourierFeatures(points / c_.bound, c_.positionFrequencies)}, -1);
  torch::Tensor h = input;
  for (int k = 0; k < c_.depth; ++k) {
    if (k > 0 && std::find(c_.skips.begin(), c_.skips.end(), k) != c_.skips.end()) h = torch::cat({h, input}, -1);
    h = torch::relu(layers_[size_t(k)](h));
  }
  return h;
}

torch::Tensor NerfMlpImpl::density(const torch::Tensor& features, const torch::Tensor& points) {
  return torch::softplus(sigmaOut(trunk(features, points)).squeeze(-1));
}

NerfSamples NerfMlpImpl::forward(const torch::Tensor& features, const torch::Tensor& points,
                                 const torch::Tensor& directions) {
  const torch::Tensor h = trunk(features, points);
  const torch::Tensor sigma = torch::softplus(sigmaOut(h).squeeze(-1));
  const torch::Tensor d = fourierFeatures(directions, c_.directionFrequencies);
  const torch::Tensor rgb = torch::sigmoid(colourOut(torch::relu(colourHidden(torch::cat({feature(h), d}, -1)))));
  return {sigma, rgb};
}

}  // namespace fieldscope
