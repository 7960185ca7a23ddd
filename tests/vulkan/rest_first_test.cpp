// Rest first (docs/architecture.md "Worker"): once the view is still, its exact decode goes ahead
// of every tile (a running tile stops at its next band and is decoded again afterwards), and runs
// on every usable core; tiles run on one thread.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "app/gui/headless_viewer.h"
#include "model/util/cpu_count.h"
#include "model/util/parallel_chunks.h"
#include "test_support.h"

namespace fieldscope {
namespace {

using Clock = std::chrono::steady_clock;

// Records when each decode started, its size and the readout threads it had (chunkThreads());
// each takes 15 ms.
class RecordingSource final : public FieldSource {
 public:
  struct Call {
    Clock::time_point start;
    int W, H, threads;
  };
  std::string name() const override { return "recording"; }
  bool bounded() const override { return false; }
  void decodeRegion(const Region&, int W, int H, const PixelTarget& target) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      calls_.push_back({Clock::now(), W, H, chunkThreads()});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
    for (int i = 0; i < H; ++i) std::fill(target.data + i * target.rowStrideBytes, target.data + i * target.rowStrideBytes + W * 4, uint8_t(90));
  }
  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

TEST(RestFirst, AStillViewsExactDecodeGoesAheadOfQueuedTilesOnEveryCore) {
  unsetenv("FIELDSCOPE_THREADS");  // the defaults: tiles 1 thread, exact views every core
  enableValidationForTests();
  HeadlessViewer viewer;
  auto source = std::make_shared<RecordingSource>();
  viewer.pyramid().setSource(source);
  View2D view;
  view.setViewport(640, 400);
  view.reset();
  view.zoomAbout(320, 200, 5.0);
  viewer.renderFrame(view, false);  // moving: its visible tiles are queued
  std::this_thread::sleep_for(std::chrono::milliseconds(25));
  const Clock::time_point rest = Clock::now();
  viewer.renderFrame(view, true);  // the view rests
  bool converged = false;
  viewer.renderConverged(view, 30, &converged);
  ASSERT_TRUE(converged);
  for (int i = 0; i < 2000 && !viewer.pyramid().tilesComplete(); ++i) viewer.renderFrame(view, true);
  // The tile that was running when the view rested yielded to the exact view (it is decoded in
  // two bands and stops between them) and was decoded again after it: every tile lands.
  ASSERT_TRUE(viewer.pyramid().tilesComplete()) << "a tile was lost";

  const auto calls = source->calls();
  auto isExact = [&](const RecordingSource::Call& c) { return c.W == view.width(); };
  const auto tilesBefore = std::count_if(calls.begin(), calls.end(), [&](const auto& c) { return c.start < rest; });
  // The calls are in start order (one worker thread). One tile band may have started between
  // `rest` and the submit inside renderFrame; after that the exact view comes first.
  const auto firstAfter = std::find_if(calls.begin(), calls.end(), [&](const auto& c) { return c.start > rest; });
  const auto exact = std::find_if(firstAfter, calls.end(), isExact);
  ASSERT_NE(exact, calls.end()) << "no exact decode after the view rested";
  EXPECT_LE(exact - firstAfter, 1) << (exact - firstAfter) << " tiles started after the view rested, before its exact view";
  const auto tilesAfter = std::count_if(calls.begin(), calls.end(),
                                        [&](const auto& c) { return c.start > rest && !isExact(c); });
  EXPECT_GT(tilesAfter, 0) << "tiles were still queued when the view rested (" << tilesBefore << " had started)";
  for (const auto& c : calls) {
    if (isExact(c))
      EXPECT_EQ(c.threads, usableCores()) << "the exact view of a resting view uses every usable core";
    else
      EXPECT_EQ(c.threads, 1) << "tiles leave the other cores to the UI";
  }
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

}  // namespace
}  // namespace fieldscope
