// The 3D view's dynamic-resolution controller (render/dynamic_resolution.*) against simulated
// frame costs fixed + k s^2 (with one frame of latency, as frames in flight give): it settles
// near the target when the target can be reached, at the floor (not the minimum) when the fixed
// part alone is over the target, at full resolution when everything is fast, and holds its
// scale against noise.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "render/dynamic_resolution.h"

namespace fieldscope {
namespace {

struct Simulated {
  double fixedMs, fullMs;  // a frame: fixedMs + fullMs * s^2
  double noise = 0;        // relative, uniform
};

// Runs `frames` moving frames; returns the frame times of the last 40.
std::vector<double> run(DynamicResolution& c, const Simulated& sim, int frames, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> last;
  double pendingScale = c.scale();  // the frame in flight was marched at the previous scale
  for (int i = 0; i < frames; ++i) {
    const double ms = (sim.fixedMs + sim.fullMs * pendingScale * pendingScale) * (1 + sim.noise * u(rng));
    pendingScale = c.scale();
    c.addMovingFrame(ms);
    if (i >= frames - 40) last.push_back(ms);
  }
  return last;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / double(v.size());
}

TEST(DynamicResolution, SettlesJustUnderTheTargetWhenItCanBeReached) {
  DynamicResolution c;  // 33.3 ms, scale 0.5 to start
  const Simulated sim{10.0, 150.0};  // full resolution 160 ms: s ~ 0.37 holds 29 ms
  const auto last = run(c, sim, 200);
  const double target = 1000.0 / 30.0, aim = target * DynamicResolution::kAimShare;
  EXPECT_LE(mean(last), target) << "the target is a ceiling, not a midpoint";
  EXPECT_GE(mean(last), aim * (1 - DynamicResolution::kDeadBand));
  EXPECT_NEAR(c.scale(), std::sqrt((aim - 10.0) / 150.0), 0.05);
  EXPECT_GT(c.perFullFrameMs(), 0) << "a fit was made";
  EXPECT_NEAR(c.fixedMs(), 10.0, 3.0);
}

TEST(DynamicResolution, ForgetsWhatABusySpellTaughtIt) {
  // A bake holds the CPU: every frame costs ~190 ms whatever the scale; then it ends.
  DynamicResolution c;
  run(c, Simulated{190.0, 100.0}, 30);
  const Simulated sim{10.0, 150.0};
  const auto last = run(c, sim, 60);  // as quickly as from a fresh start
  const double target = 1000.0 / 30.0, aim = target * DynamicResolution::kAimShare;
  EXPECT_LE(mean(last), target);
  EXPECT_NEAR(c.scale(), std::sqrt((aim - 10.0) / 150.0), 0.06);
  EXPECT_LT(c.fixedMs(), 30.0) << "the fit is a new one, not the busy spell's ~190 ms";
}

TEST(DynamicResolution, GoesToFullResolutionWhenFast) {
  DynamicResolution c;
  const auto last = run(c, Simulated{5.0, 12.0}, 200);
  EXPECT_DOUBLE_EQ(c.scale(), 1.0);
  EXPECT_LT(mean(last), 20.0);
}

TEST(DynamicResolution, StopsAtTheFloorWhenTheFixedPartIsOverTheTarget) {
  DynamicResolution c;
  // 40 ms of UI and present alone; the march is cheap (a fast GPU): going below the floor
  // would blur the picture and save almost nothing.
  run(c, Simulated{40.0, 30.0}, 300);
  const double floor = std::sqrt(DynamicResolution::kFloorShare * 40.0 / 30.0);
  EXPECT_NEAR(c.scale(), floor, 0.06);
  EXPECT_GT(c.scale(), c.settings().minScale + 0.1);
}

TEST(DynamicResolution, GoesToTheMinimumWhenTheMarchDominatesAndTheTargetIsOutOfReach) {
  DynamicResolution c;
  run(c, Simulated{35.0, 250.0}, 300);  // even at 0.2 the march costs 10 ms more than nothing
  EXPECT_NEAR(c.scale(), c.settings().minScale, 0.02);
}

TEST(DynamicResolution, HoldsAgainstNoise) {
  DynamicResolution c;
  const Simulated sim{10.0, 150.0, 0.1};
  run(c, sim, 200, 7);
  const double settled = c.scale();
  int changes = 0;
  double previous = settled;
  std::mt19937 rng(3);
  for (int round = 0; round < 5; ++round) {
    run(c, sim, 40, rng());
    changes += std::abs(c.scale() - previous) > 1e-9;
    previous = c.scale();
  }
  EXPECT_LE(changes, 2) << "the dead band keeps the scale under 10% noise";
  EXPECT_NEAR(c.scale(), settled, 0.08);
}

TEST(DynamicResolution, SizesAndSettings) {
  DynamicResolution c;
  EXPECT_EQ(c.movingSize(1280, 720), std::make_pair(640, 360));
  DynamicResolutionSettings off;
  off.enabled = false;
  c.setSettings(off);
  EXPECT_EQ(c.movingSize(1280, 720), std::make_pair(1280, 720));
  c.addMovingFrame(500);  // ignored when off
  EXPECT_EQ(c.scale(), 1.0);
  DynamicResolutionSettings bad;
  bad.targetMs = std::nan("");
  bad.minScale = 1e9;
  c.setSettings(bad);
  EXPECT_NEAR(c.settings().targetMs, 1000.0 / 30.0, 1e-9);
  EXPECT_EQ(c.settings().minScale, 1.0);
  EXPECT_EQ(c.movingSize(3, 2), std::make_pair(3, 2));  // never more than the viewport
  c.addMovingFrame(std::nan(""));
  c.addMovingFrame(-4);
  c.addMovingFrame(1e300);  // a stall: clamped, nothing breaks
  EXPECT_TRUE(std::isfinite(c.scale()));
}

}  // namespace
}  // namespace fieldscope
