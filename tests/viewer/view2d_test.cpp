#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "render/view2d.h"

namespace fieldscope {
namespace {

View2D makeView(int w = 1280, int h = 720) {
  View2D v;
  v.setViewport(w, h);
  v.reset();
  return v;
}

// The field point under the cursor must stay under the cursor through 1000 wheel steps in
// and out (to 1e-6 of the view size), including steps that hit the zoom limits.
TEST(View2D, ZoomAboutCursorKeepsPointFixedOver1000Steps) {
  View2D v = makeView();
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> px(0, 1280), py(0, 720), wheel(-3, 3);
  int limited = 0;
  for (int i = 0; i < 1000; ++i) {
    const double cx = px(rng), cy = py(rng);
    // Mostly inwards for the first half, outwards in the second: reaches both limits.
    const double notches = wheel(rng) + (i < 500 ? 2.0 : -2.0);
    const double fx = v.toFieldX(cx), fy = v.toFieldY(cy);
    limited += !v.zoomAbout(cx, cy, std::pow(1.2, notches));
    const double viewW = v.unitsPerPixel() * v.width(), viewH = v.unitsPerPixel() * v.height();
    ASSERT_LE(std::abs(v.toFieldX(cx) - fx), 1e-6 * viewW) << "step " << i;
    ASSERT_LE(std::abs(v.toFieldY(cy) - fy), 1e-6 * viewH) << "step " << i;
  }
  EXPECT_GT(limited, 0) << "the walk should have reached a zoom limit";
}

TEST(View2D, ZoomIsClampedAndReported) {
  View2D v = makeView();
  for (int i = 0; i < 400; ++i) v.zoomAbout(100, 100, 1.5);
  EXPECT_NEAR(v.zoom(), View2D::kMaxZoom, 1e-6 * View2D::kMaxZoom);
  EXPECT_TRUE(v.atZoomLimit());
  EXPECT_TRUE(std::isfinite(v.centerX()));
  for (int i = 0; i < 400; ++i) v.zoomAbout(100, 100, 1 / 1.5);
  EXPECT_NEAR(v.zoom(), View2D::kMinZoom, 1e-9);
}

TEST(View2D, ResetFitsTheImageAndPanMovesWithTheMouse) {
  View2D v = makeView(800, 400);
  const Region r = v.region();
  EXPECT_DOUBLE_EQ(r.y0, 0.0);
  EXPECT_DOUBLE_EQ(r.y1, 1.0);
  EXPECT_LT(r.x0, 0.0);
  EXPECT_GT(r.x1, 1.0);
  const double before = v.toFieldX(200);
  v.pan(50, 0);  // drag right by 50 px: the point that was at 200 is now at 250
  EXPECT_NEAR(v.toFieldX(250), before, 1e-12);
}

TEST(View2D, ResizeKeepsZoomAndCentre) {
  View2D v = makeView(800, 600);
  v.zoomAbout(100, 100, 4.0);
  const double z = v.zoom(), cx = v.centerX();
  v.setViewport(1024, 768);
  EXPECT_NEAR(v.zoom(), z, 1e-9);
  EXPECT_DOUBLE_EQ(v.centerX(), cx);
}

}  // namespace
}  // namespace fieldscope
