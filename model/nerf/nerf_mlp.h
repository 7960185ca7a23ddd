#pragma once
// The NeRF MLP (DESIGN §5.1 "NeRF"): [triplane features, Fourier(xyz)] -> depth x width ReLU layers
// (the input joins again at the skip layers) -> density (softplus) and a feature; [feature,
// Fourier(direction)] -> width/2 -> colour (sigmoid).
#include <torch/nn.h>

#include <vector>

#include "model/nerf/nerf_config.h"

namespace fieldscope {

struct NerfSamples {
  torch::Tensor sigma;  // (P) >= 0, per world unit
  torch::Tensor rgb;    // (P, 3) in [0, 1]
};

class NerfMlpImpl : public torch::nn::Module {
 public:
  explicit NerfMlpImpl(const NerfConfig& c);
  // features (P, 3C), points (P, 3) in world units, directions (P, 3) unit.
  NerfSamples forward(const torch::Tensor& features, const torch::Tensor& points, const torch::Tensor& directions);
  // Only the density (no colour branch): for empty-space tests and the coarse pass.
  torch::Tensor density(const torch::Tensor& features, const torch::Tensor& points);

 private:
  torch::Tensor trunk(const torch::Tensor& features, const torch::Tensor& points);
  NerfConfig c_;
  std::vector<torch::nn::Linear> layers_;
  torch::nn::Linear sigmaOut{nullptr}, feature{nullptr}, colourHidden{nullptr}, colourOut{nullptr};
};
TORCH_MODULE(NerfMlp);

}  // namespace fieldscope
