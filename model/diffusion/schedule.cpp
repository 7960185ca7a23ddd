#include "model/diffusion/schedule.h"

#include <torch/torch.h>

#include <cmath>

namespace fieldscope {

DiffusionSchedule DiffusionSchedule::scaledLinear(int64_t T, double beta0, double beta1) {
  DiffusionSchedule s;
  s.T = T;
  s.betas = torch::linspace(std::sqrt(beta0), std::sqrt(beta1), T, torch::kFloat64).pow(2);
  s.alphasCumprod = torch::cumprod(1.0 - s.betas, 0);
  return s;
}

}  // namespace fieldscope
