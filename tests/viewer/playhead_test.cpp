// The video view's playhead (app/domains/video/playhead.*): playing moves t at fps x speed training
// frames a second, loops or stops at the end, a stall does not jump the clip; scrubbed times
// between training frames get their own tile keys (and say so), playing snaps to a coarser grid
// so that every loop finds the same keys again.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "app/domains/video/playhead.h"

namespace fieldscope {
namespace {

TEST(Playhead, PlaysAtTheFrameRateAndLoopsOrStops) {
  Playhead p;
  p.frames = 16;
  p.fps = 5;
  p.playing = true;
  p.advance(1.0 / 3);
  p.advance(1.0 / 3);
  p.advance(1.0 / 3);
  EXPECT_NEAR(p.frameIndex(), 5.0, 1e-9) << "5 frames in a second";
  p.speed = 2;
  p.advance(0.4);
  EXPECT_NEAR(p.frameIndex(), 9.0, 1e-9);
  p.advance(0.4);  // 13
  p.advance(0.4);  // 17 -> wraps to 2 (15 frame intervals per loop)
  EXPECT_NEAR(p.frameIndex(), 2.0, 1e-9);
  EXPECT_TRUE(p.playing);
  p.loop = false;
  p.seek(0.9);
  p.advance(0.4);
  EXPECT_DOUBLE_EQ(p.t, 1.0);
  EXPECT_FALSE(p.playing) << "stops on the last frame";
  p.playing = true;
  p.seek(0);
  p.advance(100);  // a stall of 100 s
  EXPECT_LT(p.frameIndex(), 5.0 + 1e-9) << "a stall moves at most half a second";
  Playhead paused;
  paused.advance(1);
  EXPECT_EQ(paused.t, 0.0) << "a paused playhead does not move";
}

TEST(Playhead, BetweenFramesTimesHaveTheirOwnKeysAndPlayingSnaps) {
  Playhead p;
  p.frames = 16;
  p.seek(5.0 / 15);
  EXPECT_FALSE(p.betweenFrames());
  const int64_t onFrame = p.timeKey();
  EXPECT_NEAR(Playhead::keyTime(onFrame, 16), 5.0 / 15, 1e-12);
  p.seek(5.5 / 15);
  EXPECT_TRUE(p.betweenFrames());
  EXPECT_NE(p.timeKey(), onFrame);
  EXPECT_NEAR(Playhead::keyTime(p.timeKey(), 16), 5.5 / 15, 1e-12) << "the key decodes at the scrubbed time";
  // Playing: keys on the coarser grid, and a second loop shows only keys the first one showed.
  p.playing = true;
  p.fps = 7.3;
  p.seek(0);
  std::set<int64_t> firstLoop;
  bool wrapped = false;
  double last = 0;
  for (int i = 0; i < 400; ++i) {
    p.advance(1.0 / 60);
    if (p.t < last) {
      if (wrapped) break;
      wrapped = true;
    }
    last = p.t;
    EXPECT_EQ(p.timeKey() % Playhead::kPlayTicks, 0);
    if (!wrapped) firstLoop.insert(p.timeKey());
    else EXPECT_LE(p.timeKey(), int64_t(15) * Playhead::kTicksPerFrame);
  }
  EXPECT_TRUE(wrapped);
  EXPECT_GE(firstLoop.size(), 30u) << "about 4 keys a frame interval";
  EXPECT_EQ(Playhead::keyTime(-5, 16), 0.0);
  EXPECT_EQ(Playhead::keyTime(1 << 30, 16), 1.0);
  p.seek(std::nan(""));
  EXPECT_EQ(p.t, 0.0);
}

}  // namespace
}  // namespace fieldscope
