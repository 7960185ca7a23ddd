// Once a still view has converged, the composed view equals a direct torch evaluation of the
// same region at the same size (max abs difference <= 1/255), at several zooms, including
// ones between pyramid levels.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "app/gui/headless_viewer.h"
#include "app/gui/procedural_source.h"
#include "model/procedural/procedural_field.h"
#include "test_support.h"

namespace fieldscope {
namespace {

int maxAbsDiff(const std::vector<uint8_t>& composed, const View2D& v) {
  const Region r = v.region();
  auto direct = torch::empty({v.height(), v.width(), 4}, torch::kUInt8);
  proceduralFieldRegion(r.x0, r.y0, r.x1, r.y1, v.width(), v.height(), direct);
  auto got = torch::from_blob(const_cast<uint8_t*>(composed.data()), {v.height(), v.width(), 4}, torch::kUInt8);
  return (got.to(torch::kInt32) - direct.to(torch::kInt32)).abs().max().item<int>();
}

TEST(Convergence, StillViewEqualsDirectTorchEvaluation) {
  enableValidationForTests();
  HeadlessViewer viewer;
  viewer.pyramid().setSource(makeProceduralSource());
  struct Case {
    double zoom, px, py;
  };
  // x1 (level 0..1), x3.3 and x700 (between levels), x16 (on a level), x1000.7 with a pan.
  const Case cases[] = {{1.0, 160, 100}, {3.3, 40, 170}, {16.0, 300, 10}, {700.0, 77, 123}, {1000.7, 250, 50}};
  bool sawResampling = false;
  for (const Case& c : cases) {
    View2D v;
    v.setViewport(320, 200);
    v.reset();
    v.zoomAbout(c.px, c.py, c.zoom);
    v.pan(13.25, -7.5);  // off the pixel grid of any tile
    // While moving (tiles only), the view is resampled from tiles: close, but not exact.
    std::vector<uint8_t> moving;
    for (int i = 0; i < 400 && !viewer.pyramid().tilesComplete(); ++i) moving = viewer.renderFrame(v, false);
    moving = viewer.renderFrame(v, false);
    sawResampling |= maxAbsDiff(moving, v) > 1;
    bool converged = false;
    const auto still = viewer.renderConverged(v, 60, &converged);
    ASSERT_TRUE(converged) << "zoom " << c.zoom;
    EXPECT_LE(maxAbsDiff(still, v), 1) << "zoom " << c.zoom << " level " << viewer.pyramid().stats().level;
  }
  EXPECT_TRUE(sawResampling) << "tile-only frames should differ from the exact decode somewhere";
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

}  // namespace
}  // namespace fieldscope
