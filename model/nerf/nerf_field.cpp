#include "model/nerf/nerf_field.h"

#include <torch/torch.h>

#include <algorithm>

#include "model/nerf/triplane_sampler.h"

namespace fieldscope {

NerfSamples NerfField::query(const torch::Tensor& points, const torch::Tensor& directions) const {
  return mlp.ptr()->forward(sampleTriplane(planes, points, config.bound), points, directions);
}

FieldQuery NerfField::asQuery() const {
  return [this](const torch::Tensor& p, const torch::Tensor& d) { return query(p, d); };
}

VolumeRenderOptions NerfField::renderOptions() const {
  VolumeRenderOptions o;
  o.stratified = config.stratifiedSamples;
  o.importance = config.importanceSamples;
  o.bound = config.bound;
  return o;
}

NerfField makeNerfField(const NerfConfig& config, uint64_t seed) {
  torch::manual_seed(seed);
  NerfField f;
  f.config = config;
  f.mlp = NerfMlp(config);
  f.planes = torch::randn({3, config.planeChannels, config.planeResolution, config.planeResolution}) * 0.1;
  return f;
}

bool bakeVolume(const FieldQuery& field, int64_t n, double bound, const std::array<float, 3>& viewDirection,
                torch::Tensor out, bool yUp, const std::function<bool()>& cancelled, const WorkProgress& progress) {
  torch::NoGradGuard noGrad;
  const auto f = torch::kFloat32;
  const torch::Tensor c = (torch::arange(n, f) + 0.5) * (2.0 * bound / double(n)) - bound;  // voxel centres
  const torch::Tensor dir = torch::tensor({viewDirection[0], viewDirection[1], viewDirection[2]}, f);
  const int64_t slab = std::max<int64_t>(1, 65536 / (n * n));
  for (int64_t z0 = 0; z0 < n; z0 += slab) {
    if (cancelled && cancelled()) return false;
    const int64_t nz = std::min(slab, n - z0);
    const std::vector<torch::Tensor> zyx = torch::meshgrid({c.narrow(0, z0, nz), c, c}, "ij");
    const torch::Tensor pts = (yUp ? torch::stack({zyx[2], -zyx[0], zyx[1]}, -1) : torch::stack({zyx[2], zyx[1], zyx[0]}, -1))
                                  .reshape({-1, 3});
    const NerfSamples s = field(pts, dir.view({1, 3}).expand({pts.size(0), 3}));
    out.narrow(0, z0, nz).copy_(torch::cat({s.sigma.unsqueeze(1), s.rgb}, 1).view({nz, n, n, 4}));
    if (progress) progress(z0 + nz, n);
  }
  return true;
}

}  // namespace fieldscope
