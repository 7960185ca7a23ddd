#include "model/nerf/fourier_features.h"

#include <torch/torch.h>

#include <cmath>
#include <vector>

namespace fieldscope {

torch::Tensor fourierFeatures(const torch::Tensor& x, int frequencies) {
  std::vector<torch::Tensor> parts{x};
  for (int k = 0; k < frequencies; ++k) {
    const torch::Tensor a = x * (std::ldexp(M_PI, k));
    parts.push_back(torch::sin(a));
    parts.push_back(torch::cos(a));
  }
  return torch::cat(parts, -1);
}

}  // namespace fieldscope
