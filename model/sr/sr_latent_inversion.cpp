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
  // Normalised gradient descent: each step moves the latent along the gradient by stepSize x the
  // latents' std (RMS over the batch). Unlike Adam's per-coordinate steps, the move follows the
  // gradient's shape, so the target differs from the condition only where the picture gains --
  // smooth detail the diffusion model can learn, not sign noise in every coordinate.
  torch::Tensor z = out.cond.clone().set_requires_grad(true);
  const double step = opt.stepSize * std::sqrt(var);
  for (int i = 0; i < opt.steps; ++i) {
    const torch::Tensor rgb = ae->render(ae->features(z), up, W, H);
    const torch::Tensor loss = (rgb - hr).pow(2).mean() + opt.pull * (z - out.cond).pow(2).mean() / var;
    const torch::Tensor g = torch::autograd::grad({loss}, {z})[0];
    const double rms = g.pow(2).mean().sqrt().item<double>();
    if (!(rms > 0)) break;
    torch::NoGradGuard ng;
    z.sub_(g * (step / rms));
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
