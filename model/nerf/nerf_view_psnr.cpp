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

}  // namespace fieldscope
