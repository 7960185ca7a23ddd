#pragma once
// The diagonal Gaussian posterior of a VAE encoder (image and shape VAEs, docs/architecture.md "Models").
#include <torch/types.h>

namespace fieldscope {

struct Posterior {
  torch::Tensor mean, logvar;  // N x (any latent shape)
  torch::Tensor sample(const torch::Generator& gen) const;
  torch::Tensor kl() const;  // mean over the batch of the KL to N(0, I) summed over each latent
};

}  // namespace fieldscope
