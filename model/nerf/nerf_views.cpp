#include "model/nerf/nerf_views.h"

#include <torch/torch.h>

#include <cmath>

namespace fieldscope {

RayBatch allRays(const NerfViews& views) {
  std::vector<torch::Tensor> o, d;
  for (const RayCamera& c : views.cameras) {
    Rays r = pixelRays(c, views.width(), views.height());
    o.push_back(r.origins);
    d.push_back(r.directions);
  }
  return {{torch::cat(o), torch::cat(d)}, views.images.reshape({-1, 3}).contiguous()};
}

double psnrDb(const torch::Tensor& a, const torch::Tensor& b) {
  const double mse = (a.to(torch::kFloat64) - b.to(torch::kFloat64)).pow(2).mean().item<double>();
  return mse > 1e-12 ? -10.0 * std::log10(mse) : 120.0;
}

}  // namespace fieldscope
