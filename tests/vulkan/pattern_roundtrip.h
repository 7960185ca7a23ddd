#pragma once
// The viewer's round trip, whatever the SharedTensor backend: torch writes the self-test pattern
// into the tile atlas and the exact layer, the compositor samples them (nearest), and the
// read-back equals the pattern exactly, first through the tiles, then through the exact view.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "app/gui/headless_viewer.h"
#include "app/gui/pattern_source.h"

namespace fieldscope {

inline void expectPatternRoundTrip(HeadlessViewer& viewer) {
  viewer.pyramid().setSource(makePatternSource());
  viewer.setNearest(true);
  const int W = 517, H = 301;  // odd sizes, several tiles, off tile boundaries
  const View2D view = alignedPatternView(W, H, 200, 77);
  std::vector<uint8_t> px;
  for (int i = 0; i < 2000 && !viewer.pyramid().tilesComplete(); ++i) {
    px = viewer.renderFrame(view, false);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(viewer.pyramid().tilesComplete());
  px = viewer.renderFrame(view, false);
  EXPECT_EQ(countPatternMismatches(px.data(), W, H, W * 4, 200, 77), 0) << "tiles";
  EXPECT_GT(countPatternMismatches(px.data(), W, H, W * 4, 201, 77), W * H / 2) << "the check can fail";

  bool converged = false;
  px = viewer.renderConverged(view, 60, &converged);
  ASSERT_TRUE(converged);
  EXPECT_EQ(countPatternMismatches(px.data(), W, H, W * 4, 200, 77), 0) << "exact layer";
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

}  // namespace fieldscope
