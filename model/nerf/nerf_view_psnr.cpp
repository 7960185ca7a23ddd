#include "model/nerf/nerf_view_psnr.h"

#include <torch/torch.h>

#include <algorithm>

namespace fieldscope {

double meanViewPsnr(const NerfField& field, const NerfViews& views, int64_t maxViews) {
  torch::NoGradGuard noGrad;
  const int64_t n = maxViews > 0 ? std::min(maxViews, views.count()) : views.count();
  double sum = 0;
  for (int64_t v = 0; v < n; ++v) {
    const Rays r = pixelRays(views.cameras[size_t(v)], views.width(), views.height());
    const RenderedRays out = renderRays(field.asQuery(), r, field.renderOptions());
    sum += psnrDb(out.rgb.clamp(0, 1), views.images[v].reshape({-1, 3}));
  }
  return n > 0 ? sum / double(n) : 0.0;
}

torch::Tensor randomRaysMse(const NerfField& field, const RayBatch& batch, int64_t rays, torch::Generator gen) {
  const torch::Tensor idx = torch::randint(batch.colours.size(0), {rays}, gen, torch::kLong);
  VolumeRenderOptions ro = field.renderOptions();
  ro.jitter = gen;
  ro.chunkRays = rays;
  const RenderedRays out = renderRays(
      field.asQuery(), {batch.rays.origins.index_select(0, idx), batch.rays.directions.index_select(0, idx)}, ro);
  return (out.rgb - batch.colours.index_select(0, idx)).pow(2).mean();
}

}  // namespace fieldscope
