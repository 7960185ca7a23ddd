// The inference worker drops stale requests (latest wins) and reports them, so the UI can
// reuse their slots; a running exact-view decode stops once it is no longer wanted.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/gui/inference_worker.h"
#include "render/context.h"
#include "test_support.h"

namespace fieldscope {
namespace {

class SlowSource final : public FieldSource {
 public:
  std::atomic<int> calls{0};
  std::string name() const override { return "slow"; }
  bool bounded() const override { return false; }
  void decodeRegion(const Region&, int W, int H, const PixelTarget& target) override {
    uint8_t* out = target.data;
    const int64_t stride = target.rowStrideBytes;
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (int i = 0; i < H; ++i) std::fill(out + i * stride, out + i * stride + W * 4, uint8_t(200));
  }
};

std::vector<WorkerResult> waitFor(InferenceWorker& w, size_t n) {
  std::vector<WorkerResult> all;
  for (int i = 0; i < 500 && all.size() < n; ++i) {
    auto r = w.drain();
    all.insert(all.end(), r.begin(), r.end());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return all;
}

TEST(InferenceWorker, LatestRequestsWinAndStaleOnesAreReported) {
  enableValidationForTests();
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);
  auto atlas = SharedTensor::create(ctx.ref(), {16, 256, 256, 4}, SharedScalar::UInt8);
  auto exact = SharedTensor::create(ctx.ref(), {2, 64 * 64 * 4}, SharedScalar::UInt8);
  auto src = std::make_shared<SlowSource>();
  {
    InferenceWorker w(*atlas, 256, *exact, 64 * 64 * 4, 1);
    w.setSource(src);
    std::vector<WorkerJob> first;
    for (int i = 0; i < 10; ++i) first.push_back(TileJob{{3, i, 0}, i});
    w.submit(first);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    w.submit({TileJob{{3, 5, 0}, 5}, TileJob{{3, 0, 7}, 12}});  // the user moved on
    const auto results = waitFor(w, 11);
    int dropped = 0, done = 0;
    bool newDone = false;
    for (const auto& r : results) {
      const auto& t = std::get<TileJob>(r.job);
      dropped += !r.done;
      done += r.done;
      newDone |= r.done && t.slot == 12;
      if (t.slot == 5) EXPECT_TRUE(r.done) << "a job in both lists is kept";
    }
    EXPECT_TRUE(newDone);
    EXPECT_GE(dropped, 7) << "stale jobs are dropped, not decoded";
    EXPECT_LE(src->calls.load(), 3 * InferenceWorker::kTileBands) << "at most 3 tiles decoded (in kTileBands bands each)";
  }
  EXPECT_EQ(ctx.validationErrors(), 0);
}

TEST(InferenceWorker, ExactViewStopsWhenNoLongerWanted) {
  enableValidationForTests();
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);
  auto atlas = SharedTensor::create(ctx.ref(), {1, 256, 256, 4}, SharedScalar::UInt8);
  const int W = 2048, H = 1024;  // 16 bands of 64 rows (one thread: 131072 pixels a band)
  auto exact = SharedTensor::create(ctx.ref(), {2, int64_t(W) * H * 4}, SharedScalar::UInt8);
  auto src = std::make_shared<SlowSource>();
  InferenceWorker w(*atlas, 256, *exact, int64_t(W) * H * 4, 1);
  w.setSource(src);
  w.submit({ExactJob{1, {0, 0, 1, 1}, W, H, 0}});
  std::this_thread::sleep_for(std::chrono::milliseconds(70));
  w.submit({});
  const auto results = waitFor(w, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].done);
  EXPECT_LT(w.exactRows(0, 1), H);
  EXPECT_LT(src->calls.load(), 16);
}

// The exact view a moving frame queues behind its tiles does not stop the tile being decoded
// (only an exact view put ahead of it does: rest first), and the tile lands whole.
TEST(InferenceWorker, ExactViewQueuedBehindTilesDoesNotPreemptThem) {
  enableValidationForTests();
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);
  auto atlas = SharedTensor::create(ctx.ref(), {2, 256, 256, 4}, SharedScalar::UInt8);
  auto exact = SharedTensor::create(ctx.ref(), {2, 64 * 64 * 4}, SharedScalar::UInt8);
  auto src = std::make_shared<SlowSource>();
  InferenceWorker w(*atlas, 256, *exact, 64 * 64 * 4, 1);
  w.setSource(src);
  const WorkerJob tile = TileJob{{3, 0, 0}, 0};
  w.submit({tile});
  while (src->calls.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the tile is running
  ExactJob moving{7, {0, 0, 1, 1}, 64, 64, 0};
  moving.whileMoving = true;
  w.submit({tile, moving});
  const auto results = waitFor(w, 2);
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<TileJob>(results[0].job)) << "the tile lands first";
  EXPECT_TRUE(results[0].done);
  EXPECT_TRUE(results[1].done);
  EXPECT_EQ(src->calls.load(), InferenceWorker::kTileBands + 1) << "the tile was not started over";
  EXPECT_EQ(w.exactRows(0, 7), 64);
}

// An exact view told to stop and then asked for again before it noticed (the view came back
// within a band) goes on or starts over; it is not lost as "dropped".
TEST(InferenceWorker, ExactViewAskedForAgainAfterAStopStillLands) {
  enableValidationForTests();
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);
  auto atlas = SharedTensor::create(ctx.ref(), {1, 256, 256, 4}, SharedScalar::UInt8);
  const int W = 2048, H = 256;  // 4 bands of 64 rows (one thread: 131072 pixels a band)
  auto exact = SharedTensor::create(ctx.ref(), {2, int64_t(W) * H * 4}, SharedScalar::UInt8);
  auto src = std::make_shared<SlowSource>();
  InferenceWorker w(*atlas, 256, *exact, int64_t(W) * H * 4, 1);
  w.setSource(src);
  const WorkerJob job = ExactJob{3, {0, 0, 1, 1}, W, H, 0};
  w.submit({job});
  while (src->calls.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // its first band runs
  w.submit({});     // the view moved on ...
  w.submit({job});  // ... and came back before the band ended
  const auto results = waitFor(w, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].done) << "the exact view landed";
  EXPECT_EQ(w.exactRows(0, 3), H);
}

}  // namespace
}  // namespace fieldscope
