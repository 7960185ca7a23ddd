#include "model/nn/posterior.h"

#include <torch/torch.h>

namespace fieldscope {

torch::Tensor Posterior::sample(const torch::Generator& gen) const {
  // Drawn where the generator lives (a CPU generator for a model on CUDA: then moved), so a
  // seed gives the same sample on every device.
  if (gen.device() == mean.device()) return mean + torch::exp(0.5 * logvar) * torch::randn(mean.sizes(), gen, mean.options());
  const auto noise = torch::randn(mean.sizes(), gen, mean.options().device(gen.device())).to(mean.device());
  return mean + torch::exp(0.5 * logvar) * noise;
}

torch::Tensor Posterior::kl() const {
  return 0.5 * (mean.pow(2) + logvar.exp() - 1 - logvar).flatten(1).sum(1).mean();
}

}  // namespace fieldscope
