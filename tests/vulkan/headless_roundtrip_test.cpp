// torch writes a known pattern into a SharedTensor, Vulkan samples it into the viewport,
// the read-back equals the pattern exactly (nearest sampling) -- headless, no display.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <thread>

#include "app/gui/headless_viewer.h"
#include "app/gui/pattern_source.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "test_support.h"

namespace fieldscope {
namespace {

TEST(HeadlessRoundTrip, TorchPatternThroughTilesAndExactLayerIsExact) {
  enableValidationForTests();
  HeadlessViewer viewer;
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
  EXPECT_EQ(countPatternMismatches(px.data(), W, H, W * 4, 200, 77), 0);
  EXPECT_GT(countPatternMismatches(px.data(), W, H, W * 4, 201, 77), W * H / 2) << "the check can fail";

  bool converged = false;
  px = viewer.renderConverged(view, 60, &converged);
  ASSERT_TRUE(converged);
  EXPECT_EQ(countPatternMismatches(px.data(), W, H, W * 4, 200, 77), 0);
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

TEST(SharedTensor, TorchViewAliasesTheVulkanAllocation) {
  enableValidationForTests();
  HeadlessViewer viewer;
  SharedTensor& atlas = viewer.pyramid().atlas();
  torch::Tensor t = asTensor(atlas);
  EXPECT_EQ(t.data_ptr(), atlas.torchData()) << "no copy: the tensor is a view of the mapping";
  EXPECT_EQ(size_t(t.numel()), atlas.bytes());
  t[3][1][2][0] = 42;
  const auto* raw = static_cast<const uint8_t*>(atlas.torchData());
  EXPECT_EQ(raw[((3 * 256 + 1) * 256 + 2) * 4], 42);
  EXPECT_EQ(viewer.context().validationErrors(), 0);
}

}  // namespace
}  // namespace fieldscope
