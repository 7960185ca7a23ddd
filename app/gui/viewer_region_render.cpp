#include "app/gui/viewer_region_render.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "app/gui/device_choice.h"
#include "app/gui/headless_viewer.h"
#include "app/domains/image/model_source.h"
#include "model/util/compute_options.h"

namespace fieldscope {

std::pair<int, int> viewerRegionMaxSize() { return {PyramidView::kMaxWidth, PyramidView::kMaxHeight}; }

void renderRegionInViewer(const ComputeOptions& compute, const std::string& model, uint64_t seed, int steps, float eta, const double r[4], int W,
                          int H, uint8_t* rgba) {
  if (W > PyramidView::kMaxWidth || H > PyramidView::kMaxHeight)
    throw std::runtime_error("--renderer viewer: size is larger than a viewport (3840x2400)");
  const double upp = (r[2] - r[0]) / W;
  if (upp <= 0 || std::abs((r[3] - r[1]) / H - upp) > 1e-9 * std::abs(upp))
    throw std::runtime_error("--renderer viewer needs square pixels: (x1-x0)/W must equal (y1-y0)/H");
  HeadlessViewer viewer(-1, cudaDeviceIndex(compute));
  SampleSpec spec;
  spec.seed = seed;
  spec.steps = steps;
  spec.eta = eta;
  viewer.pyramid().setSource(makeSampleSource(loadImageModel(model, compute), spec));
  View2D view;
  view.setViewport(W, H);
  view.set(0.5 * (r[0] + r[2]), 0.5 * (r[1] + r[3]), upp);
  if (std::abs(view.unitsPerPixel() - upp) > 1e-12 * upp)
    throw std::runtime_error("--renderer viewer: the region is outside the viewer's zoom range");
  bool converged = false;
  const auto pixels = viewer.renderConverged(view, 600.0, &converged);
  if (!converged) throw std::runtime_error("--renderer viewer: the view did not converge in 10 minutes");
  if (viewer.context().validationErrors() > 0) throw std::runtime_error("Vulkan validation errors while rendering");
  std::memcpy(rgba, pixels.data(), pixels.size());
}

}  // namespace fieldscope
