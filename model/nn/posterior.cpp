#include "model/nn/posterior.h"

#include <torch/torch.h>

namespace fieldscope {

torch::Tensor Posterior::sample(const torch::Generator& gen) const {
  return mean + torch::exp(0.5 * logvar) * torch::randn(mean.sizes(), gen, mean.options());
}

torch::Tensor Posterior::kl() const {
  return 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).flatten(1).sum(1).mean();
}

}  // namespace fieldscope
