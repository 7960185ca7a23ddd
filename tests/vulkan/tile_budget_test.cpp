// A new tile cache budget rebuilds the atlas safely: the worker swaps atlases only between
// tiles and forgets the old atlas' notes; the viewer then draws the same picture from tiles
// decoded again into the new atlas (validation layers on).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "app/gui/headless_viewer.h"
#include "app/gui/inference_worker.h"
#include "app/gui/procedural_source.h"
#include "test_support.h"

namespace fieldscope {
namespace {

class SlowCountingSource final : public FieldSource {
 public:
  std::atomic<int> calls{0};
  std::string name() const override { return "counting"; }
  bool bounded() const override { return false; }
  void decodeRegion(const Region&, int W, int H, const PixelTarget& target) override {
    uint8_t* out = target.data;
    const int64_t stride = target.rowStrideBytes;
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    for (int i = 0; i < H; ++i) std::fill(out + i * stride, out + i * stride + W * 4, uint8_t(calls.load()));
  }
};

TEST(TileBudget, WorkerSwapsAtlasBetweenTiles) {
  enableValidationForTests();
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);
  auto oldAtlas = SharedTensor::create(ctx.ref(), {4, 256, 256, 4}, SharedScalar::UInt8);
  auto newAtlas = SharedTensor::create(ctx.ref(), {8, 256, 256, 4}, SharedScalar::UInt8);
  auto exact = SharedTensor::create(ctx.ref(), {2, 64 * 64 * 4}, SharedScalar::UInt8);
  std::memset(newAtlas->torchData(), 0, newAtlas->bytes());
  auto src = std::make_shared<SlowCountingSource>();
  InferenceWorker w(*oldAtlas, 256, *exact, 64 * 64 * 4, 1);
  w.setSource(src);
  w.submit({TileJob{{2, 0, 0}, 0}, TileJob{{2, 1, 0}, 1}, TileJob{{2, 2, 0}, 2}, TileJob{{2, 3, 0}, 3}});
  std::this_thread::sleep_for(std::chrono::milliseconds(10));  // the first tile is running
  w.replaceAtlas(*newAtlas);
  EXPECT_LE(src->calls.load(), InferenceWorker::kTileBands) << "queued tiles were dropped, the running one finished (in kTileBands bands)";
  EXPECT_TRUE(w.drain().empty()) << "notes about the old atlas' slots are gone";
  w.submit({TileJob{{2, 0, 1}, 6}});
  std::vector<WorkerResult> results;
  for (int i = 0; i < 300 && results.empty(); ++i) {
    results = w.drain();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].done);
  const auto* p = static_cast<const uint8_t*>(newAtlas->torchData()) + 6 * 256 * 256 * 4;
  EXPECT_NE(p[0], 0) << "slot 6 of the new atlas was written";
  EXPECT_NE(p[256 * 256 * 4 - 1], 0) << "its last row too";
  EXPECT_EQ(ctx.validationErrors(), 0);
}

std::vector<uint8_t> tilesOnly(HeadlessViewer& hv, const View2D& view) {
  std::vector<uint8_t> px;
  for (int i = 0; i < 3000; ++i) {
    px = hv.renderFrame(view, false);  // moving: tiles only, no exact view
    if (hv.pyramid().tilesComplete()) return hv.renderFrame(view, false);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ADD_FAILURE() << "tiles did not complete";
  return px;
}

TEST(TileBudget, ViewerDrawsTheSamePictureAfterTheAtlasIsRebuilt) {
  enableValidationForTests();
  HeadlessViewer hv;
  hv.pyramid().setSource(makeProceduralSource());
  View2D view;
  view.setViewport(320, 200);
  view.reset();
  view.zoomAbout(100, 80, 3.0);
  const std::vector<uint8_t> before = tilesOnly(hv, view);
  EXPECT_EQ(hv.pyramid().stats().slots, 160);
  const int most = PyramidView::maxSlots(hv.context());  // 512 (128 MB) on lavapipe
  ASSERT_GE(most, 160);
  for (int slots : {64, most}) {
    hv.setTileCacheSlots(slots);
    const PyramidStats s = hv.pyramid().stats();
    EXPECT_EQ(s.slots, slots);
    EXPECT_EQ(s.atlasBytes, size_t(slots) * PyramidView::kSlotBytes);
    EXPECT_EQ(s.cachedTiles, 0) << "tiles are decoded again into the new atlas";
    EXPECT_EQ(tilesOnly(hv, view), before) << slots << " slots";
    EXPECT_GT(hv.pyramid().stats().usedBytes, 0u);
  }
  // Past what one storage buffer may hold: refused, and the viewer goes on with the old atlas.
  EXPECT_THROW(hv.setTileCacheSlots(most + 1), std::runtime_error);
  EXPECT_EQ(hv.pyramid().stats().slots, most);
  EXPECT_EQ(tilesOnly(hv, view), before);
  EXPECT_EQ(hv.context().validationErrors(), 0);
}

// While the view moves, the viewer asks for the exact view behind the tiles only when told to
// (the app's 2D views: docs/architecture.md "Tile2DView"), and then a frame that still counts as
// moving shows the exact view once it has landed: the same pixels as the resting view.
TEST(TileBudget, MovingViewGetsItsExactViewBehindItsTilesWhenAsked) {
  enableValidationForTests();
  HeadlessViewer hv;
  hv.pyramid().setSource(makeProceduralSource());
  View2D view;
  view.setViewport(320, 200);
  view.reset();
  view.zoomAbout(100, 80, 3.0);
  tilesOnly(hv, view);
  for (int i = 0; i < 20; ++i) {
    hv.renderFrame(view, false);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(hv.pyramid().converged(view)) << "not asked: moving frames show tiles only";
  hv.pyramid().setExactWhenIdle(true);
  for (int i = 0; i < 3000 && !hv.pyramid().converged(view); ++i) {
    hv.renderFrame(view, false);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(hv.pyramid().converged(view)) << "asked: the exact view is decoded while the view moves";
  const std::vector<uint8_t> moving = hv.renderFrame(view, false);
  bool converged = false;
  const std::vector<uint8_t> still = hv.renderConverged(view, 30, &converged);
  ASSERT_TRUE(converged);
  EXPECT_EQ(moving, still) << "the moving frame shows the exact view";
  EXPECT_EQ(hv.context().validationErrors(), 0);
}

}  // namespace
}  // namespace fieldscope
