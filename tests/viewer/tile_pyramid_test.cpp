#include <gtest/gtest.h>

#include <cmath>

#include "render/tile_pyramid.h"

namespace fieldscope {
namespace {

TEST(TilePyramid, TargetLevelShowsTexelsNoLargerThanAPixel) {
  for (double upp : {1.0 / 200, 1.0 / 256, 1.0 / 300, 1.0 / 5000, 1e-7}) {
    const int L = targetLevel(upp, 256, 40);
    const double texel = std::ldexp(1.0, -L) / 256;
    EXPECT_LE(texel, upp * (1 + 1e-9)) << upp;
    EXPECT_GT(texel * 2, upp) << "one level coarser would already be too coarse: " << upp;
  }
  EXPECT_EQ(targetLevel(1.0, 256, 10), 0);    // zoomed far out: level 0
  EXPECT_EQ(targetLevel(1e-12, 256, 10), 10);  // clamped to the deepest level
}

TEST(TilePyramid, VisibleTilesCoverTheView) {
  View2D v;
  v.setViewport(1280, 720);
  v.reset();
  v.zoomAbout(333, 222, 37.0);
  const VisibleTiles t = visibleTiles(v, 256, 30);
  const double n = std::ldexp(1.0, t.level);
  const Region r = v.region();
  EXPECT_LE(double(t.x0) / n, r.x0);
  EXPECT_LE(double(t.y0) / n, r.y0);
  EXPECT_GE(double(t.x0 + t.cols) / n, r.x1);
  EXPECT_GE(double(t.y0 + t.rows) / n, r.y1);
  EXPECT_LE(t.cols, 1280 / 256 + 2);
  EXPECT_NEAR(t.originX, r.x0 * n - double(t.x0), 1e-9);
  EXPECT_NEAR(t.pixelInTiles, v.unitsPerPixel() * n, 1e-15);
}

TEST(TilePyramid, ParentsAndRegions) {
  const TileKey k{5, 13, -3};
  EXPECT_EQ(k.parent(2), (TileKey{3, 3, -1}));  // floor division, also for negative tiles
  const Region r = tileRegion(k);
  const Region p = tileRegion(k.parent(2));
  EXPECT_LE(p.x0, r.x0);
  EXPECT_GE(p.x1, r.x1);
  EXPECT_LE(p.y0, r.y0);
  EXPECT_GE(p.y1, r.y1);
  EXPECT_TRUE(tileInsideImage({2, 3, 0}));
  EXPECT_FALSE(tileInsideImage({2, 4, 0}));
  EXPECT_FALSE(tileInsideImage({2, 0, -1}));
}

}  // namespace
}  // namespace fieldscope
