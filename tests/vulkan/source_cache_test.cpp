// Tile2DView's pyramid across sources and times (docs/architecture.md "Tile2DView"): going
// back to a source that is still open shows its tiles without decoding them again; a source
// that was closed is decoded again; tiles of another time index are other tiles; a decode that
// throws is reported once and the field is not asked for again (no retry loop).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>

#include "app/gui/headless_viewer.h"
#include "test_support.h"

namespace fieldscope {
namespace {

// A flat colour that counts its decodes (and the time indices asked for).
class CountingSource final : public FieldSource {
 public:
  explicit CountingSource(uint8_t value, bool fail = false) : value_(value), fail_(fail) {}
  std::atomic<int> calls{0};
  std::string name() const override { return "counting"; }
  bool bounded() const override { return true; }
  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    decodeRegionAt(0, r, W, H, out);
  }
  void decodeRegionAt(int64_t time, const Region&, int W, int H, const PixelTarget& out) override {
    ++calls;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      times_.insert(time);
    }
    if (fail_) throw std::runtime_error("decoder exploded on purpose");
    for (int i = 0; i < H; ++i)
      for (int k = 0; k < W; ++k) {
        uint8_t* p = out.data + i * out.rowStrideBytes + k * 4;
        p[0] = value_, p[1] = uint8_t(value_ + time), p[2] = value_, p[3] = 255;
      }
  }
  std::set<int64_t> times() {
    std::lock_guard<std::mutex> lock(mutex_);
    return times_;
  }

 private:
  uint8_t value_;
  bool fail_;
  std::mutex mutex_;
  std::set<int64_t> times_;
};

View2D smallView() {
  View2D v;
  v.setViewport(256, 192);
  v.reset();
  return v;
}

void renderUntilTiles(HeadlessViewer& viewer, const View2D& v) {
  viewer.renderFrame(v, false);
  for (int i = 0; i < 400 && !viewer.pyramid().tilesComplete(); ++i) viewer.renderFrame(v, false);
  ASSERT_TRUE(viewer.pyramid().tilesComplete());
}

TEST(SourceCache, GoingBackToAnOpenSourceDecodesNothingAgain) {
  enableValidationForTests();
  HeadlessViewer viewer;
  auto a = std::make_shared<CountingSource>(40), b = std::make_shared<CountingSource>(200);
  const View2D v = smallView();
  viewer.pyramid().setSource(a);
  renderUntilTiles(viewer, v);
  const int aCalls = a->calls;
  ASSERT_GT(aCalls, 0);
  viewer.pyramid().setSource(b);
  renderUntilTiles(viewer, v);
  EXPECT_GT(b->calls.load(), 0);
  viewer.pyramid().setSource(a);  // A -> B -> A
  const auto pixels = viewer.renderFrame(v, false);
  EXPECT_TRUE(viewer.pyramid().tilesComplete()) << "A's tiles were still cached";
  EXPECT_EQ(a->calls.load(), aCalls) << "A was not decoded again";
  EXPECT_EQ(pixels[(96 * 256 + 128) * 4], 40) << "and the frame shows A, not B";

  // Once A is closed its tiles go; showing it again decodes it again.
  viewer.pyramid().setSource(b);
  viewer.renderFrame(v, false);
  viewer.pyramid().forgetSource(a->uid());
  viewer.pyramid().setSource(a);
  viewer.renderFrame(v, false);
  EXPECT_FALSE(viewer.pyramid().tilesComplete());
  renderUntilTiles(viewer, v);
  EXPECT_GT(a->calls.load(), aCalls);
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

TEST(SourceCache, TimeIndicesAreTilesOfTheirOwn) {
  enableValidationForTests();
  HeadlessViewer viewer;
  auto a = std::make_shared<CountingSource>(10);
  const View2D v = smallView();
  viewer.pyramid().setSource(a);
  renderUntilTiles(viewer, v);
  viewer.pyramid().setTime(7);
  viewer.renderFrame(v, false);
  EXPECT_FALSE(viewer.pyramid().tilesComplete()) << "time 7 has no tiles yet";
  renderUntilTiles(viewer, v);
  const auto pixels = viewer.renderFrame(v, false);
  EXPECT_EQ(pixels[(96 * 256 + 128) * 4 + 1], 17) << "the frame shows time 7";
  EXPECT_EQ(a->times(), (std::set<int64_t>{0, 7}));
  const int calls = a->calls;
  viewer.pyramid().setTime(0);  // back to time 0: still cached
  viewer.renderFrame(v, false);
  EXPECT_TRUE(viewer.pyramid().tilesComplete());
  EXPECT_EQ(a->calls.load(), calls);
}

TEST(SourceCache, LookaheadDecodesTheNextTimesSoTheyShowAtOnce) {
  enableValidationForTests();
  HeadlessViewer viewer;
  auto a = std::make_shared<CountingSource>(30);
  const View2D v = smallView();
  viewer.pyramid().setSource(a);
  renderUntilTiles(viewer, v);
  EXPECT_FALSE(viewer.pyramid().timeReady(4)) << "nothing is decoded ahead without a lookahead";
  viewer.pyramid().setLookahead({4, 8, 12});
  for (int i = 0; i < 400 && !viewer.pyramid().timeReady(12); ++i) viewer.renderFrame(v, false);
  EXPECT_TRUE(viewer.pyramid().timeReady(4));
  EXPECT_TRUE(viewer.pyramid().timeReady(8));
  EXPECT_TRUE(viewer.pyramid().timeReady(12));
  EXPECT_EQ(a->times(), (std::set<int64_t>{0, 4, 8, 12}));
  const int calls = a->calls;
  viewer.pyramid().setLookahead({});
  viewer.pyramid().setTime(8);  // the playhead reaches a prefetched time: shown at once
  const auto pixels = viewer.renderFrame(v, false);
  EXPECT_TRUE(viewer.pyramid().tilesComplete());
  EXPECT_EQ(pixels[(96 * 256 + 128) * 4 + 1], 38) << "the frame shows time 8";
  EXPECT_EQ(a->calls.load(), calls) << "nothing decoded again";
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

TEST(SourceCache, LookaheadNeverTakesMoreThanHalfTheAtlas) {
  enableValidationForTests();
  HeadlessViewer viewer;
  auto a = std::make_shared<CountingSource>(50);
  const View2D v = smallView();
  viewer.pyramid().setSource(a);
  renderUntilTiles(viewer, v);
  const int perTime = viewer.pyramid().stats().visibleTiles;
  ASSERT_GT(perTime, 0);
  std::vector<int64_t> ahead;
  for (int64_t t = 1; t <= 2000; ++t) ahead.push_back(t);
  viewer.pyramid().setLookahead(ahead);
  const int slots = viewer.pyramid().stats().slots;
  const size_t cap = size_t(slots / 2 / perTime);
  for (int i = 0; i < 4000 && !viewer.pyramid().timeReady(int64_t(cap)); ++i) viewer.renderFrame(v, false);
  for (int i = 0; i < 100; ++i) viewer.renderFrame(v, false);  // time for anything past the cap to show up
  EXPECT_EQ(a->times().size(), 1 + cap) << "time 0 and the first " << cap << " times ahead, no more";
  EXPECT_TRUE(viewer.pyramid().timeReady(int64_t(cap)));
  EXPECT_TRUE(viewer.pyramid().tilesComplete()) << "the shown time's tiles were not evicted";
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

TEST(SourceCache, AFailingDecodeIsReportedOnceAndNotRetried) {
  enableValidationForTests();
  HeadlessViewer viewer;
  auto bad = std::make_shared<CountingSource>(0, true);
  const View2D v = smallView();
  viewer.pyramid().setSource(bad);
  std::vector<std::string> reports;
  for (int i = 0; i < 200 && viewer.pyramid().error().empty(); ++i) {
    viewer.renderFrame(v, i > 20);
    if (auto e = viewer.pyramid().takeNewError(); !e.empty()) reports.push_back(e);
  }
  ASSERT_FALSE(viewer.pyramid().error().empty()) << "the failure reaches the view";
  EXPECT_NE(viewer.pyramid().error().find("decoder exploded on purpose"), std::string::npos);
  // Jobs already queued when the first one failed may still run; after that, nothing new.
  for (int i = 0; i < 30; ++i) viewer.renderFrame(v, true);
  const int settled = bad->calls;
  for (int i = 0; i < 60; ++i) {
    viewer.renderFrame(v, i % 2 == 0);
    if (auto e = viewer.pyramid().takeNewError(); !e.empty()) reports.push_back(e);
  }
  EXPECT_EQ(bad->calls.load(), settled) << "no retry loop";
  EXPECT_EQ(reports.size(), 1u) << "reported once";
  EXPECT_GT(viewer.pyramid().stats().worker.failures, 0u);

  // Another source still works in the same view.
  auto good = std::make_shared<CountingSource>(90);
  viewer.pyramid().setSource(good);
  EXPECT_TRUE(viewer.pyramid().error().empty());
  renderUntilTiles(viewer, v);
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

}  // namespace
}  // namespace fieldscope
