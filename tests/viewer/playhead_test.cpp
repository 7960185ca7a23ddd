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

TEST(Playhead, WaitsOnAFrameThatIsNotDecodedYetThenMovesOn) {
  Playhead p;
  p.frames = 16;
  p.fps = 8;
  p.playing = true;
  std::set<int64_t> ready = {0};
  auto isReady = [&](int64_t k) { return ready.count(k) > 0; };
  EXPECT_FALSE(p.advanceWhenReady(0.01, isReady)) << "moving within the shown key needs nothing new";
  EXPECT_EQ(p.timeKey(), 0);
  EXPECT_TRUE(p.advanceWhenReady(0.2, isReady)) << "the next key is not decoded: buffering";
  EXPECT_EQ(p.timeKey(), 0) << "the playhead holds the frame it shows";
  for (int64_t k = 0; k <= 15 * Playhead::kTicksPerFrame; k += Playhead::kPlayTicks) ready.insert(k);
  EXPECT_FALSE(p.advanceWhenReady(0.2, isReady));
  EXPECT_GT(p.timeKey(), 0) << "moves on once the frame is there";
  EXPECT_EQ(p.timeKey() % Playhead::kPlayTicks, 0);
}

TEST(Playhead, UpcomingKeysAreWhatPlaybackShowsNextRoundTheLoop) {
  Playhead p;
  p.frames = 4;  // keys 0 .. 48, playing on every 4th
  p.playing = true;
  p.seek(40.0 / 48);
  EXPECT_EQ(p.timeKey(), 40);
  EXPECT_EQ(p.upcomingKeys(4), (std::vector<int64_t>{44, 48, 0, 4})) << "round to the start when looping";
  p.loop = false;
  EXPECT_EQ(p.upcomingKeys(4), (std::vector<int64_t>{44, 48})) << "nothing past the end otherwise";
  p.loop = true;
  EXPECT_EQ(p.upcomingKeys(100).size(), 12u) << "at most once round: the 13 keys but the shown one";
  // Playing shows exactly these keys: advancing frame by frame visits them in order.
  Playhead q = p;
  q.fps = 1000;
  std::vector<int64_t> seen;
  for (int i = 0; i < 4; ++i) {
    const auto want = q.upcomingKeys(1).at(0);
    while (q.timeKey() != want) q.advance(1e-4);
    seen.push_back(q.timeKey());
  }
  EXPECT_EQ(seen, p.upcomingKeys(4));
}

}  // namespace
}  // namespace fieldscope
