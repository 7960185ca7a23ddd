#pragma once
// The diffusion noise schedule (docs/architecture.md "Models"): T = 1000 steps, "scaled linear" betas
// beta_t = (sqrt(b0) + t/(T-1) (sqrt(b1) - sqrt(b0)))^2 with b0 = 0.0015, b1 = 0.0195.
#include <torch/types.h>

#include <string>

namespace fieldscope {

struct DiffusionSchedule {
  int64_t T = 1000;
  torch::Tensor betas;          // T, float64
  torch::Tensor alphasCumprod;  // T, float64: abar_t = prod_{s<=t} (1 - beta_s)
  // Which DDIM timesteps sampling takes (ddim.h): "even" (this project's: T-1 ... 0 evenly, rounded)
  // or "ddmi" (the authors' int(linspace(-1, T-1, S+1)); imported models).
  std::string spacing = "even";

  static DiffusionSchedule scaledLinear(int64_t T = 1000, double beta0 = 0.0015, double beta1 = 0.0195);
  double abar(int64_t t) const { return alphasCumprod[t].item<double>(); }
};

}  // namespace fieldscope
