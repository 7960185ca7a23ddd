#include "model/sr/sr_latent_inversion.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace fieldscope {
namespace {

double psnrOf(const torch::Tensor& a, const torch::Tensor& b) {
  const double mse = ((a - b) * 0.5).pow(2).mean().item<double>();  // unclamped: what the inversion minimises
  return mse > 1e-12 ? -10.0 * std::log10(mse) : 120.0;
}

}  // namespace

InvertedLatents invertSrLatents(SrAutoencoder& ae, const torch::Tensor& hr, const torch::Tensor& up,
                                const LatentInversion& opt) {
  const int64_t H = hr.size(2), W = hr.size(3);
  InvertedLatents out;
  // The decoder stays frozen: only the latent moves (its parameters get no gradient).
  std::vector<bool> wanted;
  for (auto& p : ae->parameters()) {
    wanted.push_back(p.requires_grad());
    p.set_requires_grad(false);
  }
  const bool wasTraining = ae->is_training();
  ae->eval();
  {
    torch::NoGradGuard ng;
    out.cond = ae->encode(up);
    out.psnrBefore = psnrOf(ae->render(ae->features(out.cond), up, W, H), hr);
  }
  const double var = std::max(1e-8, out.cond.var().item<double>());
  torch::Tensor z = out.cond.clone().set_requires_grad(true);
  torch::optim::Adam adam({z}, torch::optim::AdamOptions(opt.stepSize * std::sqrt(var)));
  for (int i = 0; i < opt.steps; ++i) {
    const torch::Tensor rgb = ae->render(ae->features(z), up, W, H);
    // Scaled by the pixel count: the same optimum, but gradients well above Adam's epsilon.
    const double pixels = double(3 * H * W);
    const torch::Tensor loss = pixels * ((rgb - hr).pow(2).mean() + opt.pull * (z - out.cond).pow(2).mean() / var);
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  out.target = z.detach();
  {
    torch::NoGradGuard ng;
    out.psnrAfter = psnrOf(ae->render(ae->features(out.target), up, W, H), hr);
  }
  size_t k = 0;
  for (auto& p : ae->parameters()) p.set_requires_grad(wanted[k++]);
  if (wasTraining) ae->train();
  return out;
}

}  // namespace fieldscope
