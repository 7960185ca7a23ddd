// Smooth wheel zoom: lands exactly on the target, keeps the point under the cursor fixed the
// whole way, accumulates notches, respects the zoom limits, moves monotonically.
#include <gtest/gtest.h>

#include <cmath>

#include "render/zoom_animator.h"

namespace fieldscope {
namespace {

View2D makeView() {
  View2D v;
  v.setViewport(1280, 720);
  v.reset();
  return v;
}

// |a - b| relative to the larger magnitude.
double rel(double a, double b) { return std::abs(a - b) / std::max({std::abs(a), std::abs(b), 1e-300}); }

TEST(ZoomAnimator, ConvergesExactlyToTheTargetKeepingTheCursorPointFixed) {
  View2D v = makeView();
  ZoomAnimator a;
  const double px = 913.25, py = 101.5;
  const double fx = v.toFieldX(px), fy = v.toFieldY(py);
  const double start = v.unitsPerPixel();
  ASSERT_TRUE(a.addStep(v, px, py, 1.2, 10.0));
  EXPECT_EQ(v.unitsPerPixel(), start) << "nothing moves before time passes";
  double last = start;
  int frames = 0;
  for (double t = 10.0; a.update(v, t); t += 1.0 / 60) {
    EXPECT_LT(rel(v.toFieldX(px), fx), 1e-9);
    EXPECT_LT(rel(v.toFieldY(py), fy), 1e-9);
    EXPECT_LE(v.unitsPerPixel(), last) << "zooming in never goes back out";
    last = v.unitsPerPixel();
    ASSERT_LT(++frames, 100);
  }
  EXPECT_GE(frames, 5) << "animated over several frames, not a jump";
  EXPECT_LE(frames, 9) << "done after ~120 ms";
  EXPECT_DOUBLE_EQ(v.unitsPerPixel(), start / 1.2);
  EXPECT_EQ(v.unitsPerPixel(), a.targetUnitsPerPixel()) << "exactly the target";
  EXPECT_LT(rel(v.toFieldX(px), fx), 1e-9);
  EXPECT_LT(rel(v.toFieldY(py), fy), 1e-9);
  EXPECT_FALSE(a.active());
}

TEST(ZoomAnimator, FirstFramesCoverMostOfTheWay) {
  View2D v = makeView();
  ZoomAnimator a;
  const double start = v.unitsPerPixel();
  a.addStep(v, 640, 360, 2.0, 0.0);
  a.update(v, 0.03);  // a quarter of the duration
  const double done = std::log(start / v.unitsPerPixel()) / std::log(2.0);
  EXPECT_GT(done, 0.5) << "exponential: fast at first";
  EXPECT_LT(done, 1.0);
}

TEST(ZoomAnimator, NotchesDuringTheAnimationAccumulate) {
  View2D v = makeView();
  ZoomAnimator a;
  const double start = v.unitsPerPixel();
  const double px = 200, py = 600;
  const double fx = v.toFieldX(px), fy = v.toFieldY(py);
  double t = 0;
  for (int i = 0; i < 5; ++i) {  // five notches 20 ms apart, before any can finish
    a.addStep(v, px, py, 1.2, t);
    t += 0.02;
    a.update(v, t);
    EXPECT_LT(rel(v.toFieldX(px), fx), 1e-9);
  }
  EXPECT_TRUE(a.active());
  while (a.update(v, t)) t += 1.0 / 60;
  EXPECT_LT(rel(v.unitsPerPixel(), start / std::pow(1.2, 5)), 1e-12);
  EXPECT_EQ(v.unitsPerPixel(), a.targetUnitsPerPixel());
  EXPECT_LT(rel(v.toFieldX(px), fx), 1e-9);
  EXPECT_LT(rel(v.toFieldY(py), fy), 1e-9);
  // In and out again by the same notches: back to the start scale.
  for (int i = 0; i < 5; ++i) a.addStep(v, px, py, 1 / 1.2, t);
  while (a.update(v, t)) t += 1.0 / 60;
  EXPECT_LT(rel(v.unitsPerPixel(), start), 1e-12);
}

TEST(ZoomAnimator, LimitsAreRespected) {
  View2D v = makeView();
  ZoomAnimator a;
  double t = 0;
  bool limited = false;
  for (int i = 0; i < 200; ++i) limited |= !a.addStep(v, 300, 300, 1.5, t += 0.01);
  EXPECT_TRUE(limited) << "x1.5^200 is past x1e6";
  while (a.update(v, t)) t += 1.0 / 60;
  EXPECT_NEAR(v.zoom(), View2D::kMaxZoom, View2D::kMaxZoom * 1e-12);
  EXPECT_FALSE(a.addStep(v, 300, 300, 1.2, t)) << "already at the limit";
  EXPECT_FALSE(a.active());
  for (int i = 0; i < 200; ++i) a.addStep(v, 300, 300, 1 / 1.5, t += 0.01);
  while (a.update(v, t)) t += 1.0 / 60;
  EXPECT_NEAR(v.zoom(), View2D::kMinZoom, 1e-12);
}

TEST(ZoomAnimator, CursorPointStaysFixedAtDeepZoom) {
  View2D v = makeView();
  v.set(0.123456789, 0.87654321, v.unitsPerPixel() / 2e5);  // x200000
  ZoomAnimator a;
  const double px = 1000.5, py = 33.25;
  const double fx = v.toFieldX(px), fy = v.toFieldY(py);
  double t = 0;
  a.addStep(v, px, py, 1.2, t);
  a.addStep(v, px, py, 1.2, t += 0.01);
  while (a.update(v, t)) {
    t += 1.0 / 60;
    // Within 1e-9 relative, and within a millionth of a pixel.
    EXPECT_LT(rel(v.toFieldX(px), fx), 1e-9);
    EXPECT_LT(std::abs(v.toFieldY(py) - fy) / v.unitsPerPixel(), 1e-6);
  }
  EXPECT_NEAR(v.zoom(), 2e5 * 1.44, 2e5 * 1.44 * 1e-12);
}

}  // namespace
}  // namespace fieldscope
