// The status bar's frame rate counts only frames that followed one another (app/gui/frame_rate.h):
// a still view, whose loop sleeps between frames, does not read as a slow app.
#include <gtest/gtest.h>

#include <cmath>

#include "app/gui/frame_rate.h"

namespace fieldscope {
namespace {

TEST(FrameRate, OnlyFramesThatFollowOneAnotherCount) {
  FrameRate r;
  EXPECT_TRUE(r.atRest());
  EXPECT_EQ(r.text(), "at rest");
  for (int i = 0; i < 50; ++i) r.add(16.0, true);  // moving: ~62 fps
  EXPECT_FALSE(r.atRest());
  EXPECT_NEAR(r.ms(), 16.0, 1e-9);
  EXPECT_EQ(r.text(), "62 fps  16.0 ms");
  // At rest the loop waits up to 0.5 s for events: those gaps are not frame times.
  for (int i = 0; i < 20; ++i) r.add(500.0, false);
  EXPECT_TRUE(r.atRest());
  EXPECT_NEAR(r.ms(), 16.0, 1e-9);
  EXPECT_EQ(r.text(), "at rest, 62 fps moving");
  // Moving again: the rate follows the new frames.
  for (int i = 0; i < 100; ++i) r.add(25.0, true);
  EXPECT_NEAR(r.fps(), 40.0, 0.1);
  EXPECT_EQ(r.text(), "40 fps  25.0 ms");
}

TEST(FrameRate, NonsenseTimesAreIgnored) {
  FrameRate r;
  r.add(20.0, true);
  r.add(-1.0, true);
  r.add(std::nan(""), true);
  r.add(0.0, true);
  EXPECT_NEAR(r.ms(), 20.0, 1e-9);
}

}  // namespace
}  // namespace fieldscope
