#include "model/nerf/volume_render.h"

#include <torch/torch.h>

#include <algorithm>

namespace fieldscope {
namespace {

// Sample k of sorted samples t (R, K) inside [t0, t1] stands for the interval between the
// midpoints to its neighbours.
torch::Tensor intervalLengths(const torch::Tensor& t, const torch::Tensor& t0, const torch::Tensor& t1) {
  const torch::Tensor mids = 0.5 * (t.narrow(1, 1, t.size(1) - 1) + t.narrow(1, 0, t.size(1) - 1));
  const torch::Tensor edges = torch::cat({t0.unsqueeze(1), mids, t1.unsqueeze(1)}, 1);
  return (edges.narrow(1, 1, t.size(1)) - edges.narrow(1, 0, t.size(1))).clamp_min(0.0);
}

torch::Tensor compositingWeights(const torch::Tensor& sigma, const torch::Tensor& delta) {
  const torch::Tensor alpha = 1.0 - torch::exp(-sigma * delta);
  const torch::Tensor transmit = torch::cumprod(1.0 - alpha + 1e-10, 1);
  const torch::Tensor before = torch::cat({torch::ones_like(transmit.narrow(1, 0, 1)), transmit.narrow(1, 0, transmit.size(1) - 1)}, 1);
  return alpha * before;
}

NerfSamples query(const FieldQuery& field, const Rays& r, const torch::Tensor& t) {
  const int64_t R = t.size(0), K = t.size(1);
  const torch::Tensor pts = (r.origins.unsqueeze(1) + t.unsqueeze(2) * r.directions.unsqueeze(1)).reshape({R * K, 3});
  const torch::Tensor dirs = r.directions.unsqueeze(1).expand({R, K, 3}).reshape({R * K, 3});
  NerfSamples s = field(pts, dirs);
  return {s.sigma.reshape({R, K}), s.rgb.reshape({R, K, 3})};
}

RenderedRays renderChunk(const FieldQuery& field, const Rays& r, const VolumeRenderOptions& o) {
  const int64_t R = r.origins.size(0);
  auto [t0, t1] = boxInterval(r, o.bound);
  const torch::Tensor hit = t1 > t0;
  t1 = torch::where(hit, t1, t0);
  const int64_t K = o.stratified;
  const auto opts = t0.options();
  const torch::Tensor u = o.jitter ? torch::rand({R, K}, *o.jitter, opts) : torch::full({R, K}, 0.5, opts);
  const torch::Tensor bins = (torch::arange(K, opts).unsqueeze(0) + u) / double(K);
  const torch::Tensor span = (t1 - t0).unsqueeze(1);
  torch::Tensor t = t0.unsqueeze(1) + bins * span;
  if (o.importance > 0) {
    torch::Tensor w;
    {
      torch::NoGradGuard noGrad;
      const NerfSamples coarse = query(field, r, t);
      w = compositingWeights(coarse.sigma, intervalLengths(t, t0, t1));
    }
    const torch::Tensor edges = t0.unsqueeze(1) + (torch::arange(K + 1, opts).unsqueeze(0) / double(K)) * span;
    const torch::Tensor uf = o.jitter ? torch::rand({R, int64_t(o.importance)}, *o.jitter, opts) : torch::Tensor();
    const torch::Tensor fine = sampleFromWeights(edges, w, o.importance, uf);
    t = std::get<0>(torch::sort(torch::cat({t, fine.detach()}, 1), 1));
  }
  const NerfSamples s = query(field, r, t);
  const torch::Tensor w = compositingWeights(s.sigma, intervalLengths(t, t0, t1)) * hit.unsqueeze(1);
  RenderedRays out;
  out.opacity = w.sum(1);
  out.depth = (w * t).sum(1);
  const torch::Tensor bg = torch::tensor({o.background[0], o.background[1], o.background[2]}, opts).view({1, 3});
  out.rgb = (w.unsqueeze(2) * s.rgb).sum(1) + (1.0 - out.opacity).unsqueeze(1) * bg;
  return out;
}

}  // namespace

torch::Tensor sampleFromWeights(const torch::Tensor& edges, const torch::Tensor& weights, int64_t count,
                                const torch::Tensor& uIn) {
  const int64_t R = weights.size(0), K = weights.size(1);
  const torch::Tensor w = weights + 1e-5;
  const torch::Tensor pdf = w / w.sum(1, true);
  const torch::Tensor cdf = torch::cat({torch::zeros({R, 1}, w.options()), torch::cumsum(pdf, 1)}, 1).clamp_max(1.0);
  const torch::Tensor u = uIn.defined() ? uIn.contiguous()
                                        : ((torch::arange(count, w.options()) + 0.5) / double(count)).unsqueeze(0).expand({R, count}).contiguous();
  const torch::Tensor idx = torch::searchsorted(cdf.contiguous(), u, false, true).clamp(1, K);
  const torch::Tensor below = idx - 1;
  const torch::Tensor c0 = cdf.gather(1, below), c1 = cdf.gather(1, idx);
  const torch::Tensor e0 = edges.gather(1, below), e1 = edges.gather(1, idx);
  const torch::Tensor frac = ((u - c0) / (c1 - c0).clamp_min(1e-10)).clamp(0.0, 1.0);
  return e0 + frac * (e1 - e0);
}

RenderedRays renderRays(const FieldQuery& field, const Rays& rays, const VolumeRenderOptions& o) {
  const int64_t P = rays.origins.size(0);
  if (P <= o.chunkRays) return renderChunk(field, rays, o);
  std::vector<torch::Tensor> rgb, depth, opacity;
  for (int64_t s = 0; s < P; s += o.chunkRays) {
    const int64_t n = std::min(o.chunkRays, P - s);
    RenderedRays c = renderChunk(field, {rays.origins.narrow(0, s, n), rays.directions.narrow(0, s, n)}, o);
    rgb.push_back(c.rgb);
    depth.push_back(c.depth);
    opacity.push_back(c.opacity);
  }
  return {torch::cat(rgb), torch::cat(depth), torch::cat(opacity)};
}

}  // namespace fieldscope
