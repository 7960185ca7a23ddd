#include "model/diffusion/ddim.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace fieldscope {

std::vector<int64_t> ddimTimesteps(int64_t T, int steps) {
  steps = static_cast<int>(std::clamp<int64_t>(steps, 1, T));
  std::vector<int64_t> ts;
  for (int i = steps - 1; i >= 0; --i)
    ts.push_back(steps == 1 ? T - 1 : static_cast<int64_t>(std::llround(static_cast<double>(i) * (T - 1) / (steps - 1))));
  return ts;
}

std::vector<int64_t> ddmiTimesteps(int64_t T, int steps) {
  steps = static_cast<int>(std::clamp<int64_t>(steps, 1, T));
  // torch.linspace(-1, T-1, steps+1) in float32 (its two-sided formula), then .int() (toward zero)
  const auto times = torch::linspace(-1.0, static_cast<double>(T - 1), steps + 1, torch::kFloat32).to(torch::kInt32);
  std::vector<int64_t> ts;
  for (int64_t i = steps; i >= 1; --i) ts.push_back(times[i].item<int>());
  return ts;
}

std::vector<int64_t> samplerTimesteps(const DiffusionSchedule& sched, int steps) {
  return sched.spacing == "ddmi" ? ddmiTimesteps(sched.T, steps) : ddimTimesteps(sched.T, steps);
}

torch::Tensor seedNoise(uint64_t seed, torch::IntArrayRef shape, torch::Generator* continueWith) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto noise = torch::randn(shape, gen, torch::kFloat32);
  if (continueWith) *continueWith = gen;
  return noise;
}

torch::Tensor slerp(const torch::Tensor& a, const torch::Tensor& b, double t) {
  auto af = a.to(torch::kFloat64), bf = b.to(torch::kFloat64);
  const double cosTheta =
      std::clamp((af * bf).sum().item<double>() / (af.norm().item<double>() * bf.norm().item<double>() + 1e-30), -1.0, 1.0);
  const double theta = std::acos(cosTheta);
  if (theta < 1e-6) return (af * (1 - t) + bf * t).to(a.scalar_type());
  const double s = std::sin(theta);
  return (af * (std::sin((1 - t) * theta) / s) + bf * (std::sin(t * theta) / s)).to(a.scalar_type());
}

torch::Tensor ddimSample(UNet& unet, const DiffusionSchedule& sched, torch::Tensor x, int steps, double eta,
                         std::vector<torch::Generator>& gens, const SamplerProgress& onStep) {
  return ddimSampleWith([&](const torch::Tensor& xt, const torch::Tensor& t,
                            const torch::Tensor& s) { return unet->forward(xt, t, s); },
                        sched, std::move(x), steps, eta, gens, onStep);
}

torch::Tensor ddimSampleWith(const EpsilonFn& epsFn, const DiffusionSchedule& sched, torch::Tensor x, int steps,
                             double eta, std::vector<torch::Generator>& gens, const SamplerProgress& onStep,
                             const std::function<bool()>& cancelled) {
  torch::NoGradGuard ng;
  const auto ts = samplerTimesteps(sched, steps);
  const int64_t n = x.size(0);
  for (size_t i = 0; i < ts.size(); ++i) {
    if (cancelled && cancelled()) return {};
    const int64_t t = ts[i];
    const double abar = sched.abar(t);
    const double abarPrev = i + 1 < ts.size() ? sched.abar(ts[i + 1]) : 1.0;
    auto tt = torch::full({n}, t, torch::dtype(torch::kInt64).device(x.device()));
    auto eps = epsFn(x, tt, torch::full({n}, static_cast<float>(std::sqrt(1 - abar)), x.options()));
    auto x0 = (x - std::sqrt(1 - abar) * eps) / std::sqrt(abar);
    const double sigma = eta * std::sqrt((1 - abarPrev) / (1 - abar)) * std::sqrt(std::max(0.0, 1 - abar / abarPrev));
    x = std::sqrt(abarPrev) * x0 + std::sqrt(std::max(0.0, 1 - abarPrev - sigma * sigma)) * eps;
    if (sigma > 0) {
      std::vector<torch::Tensor> z;
      // drawn on the CPU with each sample's generator, then moved: a seed gives the same noise on any device
      for (int64_t k = 0; k < n; ++k) z.push_back(torch::randn(x.sizes().slice(1), gens.at(k), torch::kFloat32));
      x = x + sigma * torch::stack(z).to(x.device());
    }
    if (onStep) onStep(int(i + 1), int(ts.size()));
  }
  return x;
}

}  // namespace fieldscope
