// torch writes a known pattern into a SharedTensor, Vulkan samples it into the viewport,
// the read-back equals the pattern exactly (nearest sampling) -- headless, no display.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <thread>

#include "app/gui/headless_viewer.h"
#include "app/gui/pattern_source.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "pattern_roundtrip.h"
#include "test_support.h"

namespace fieldscope {
namespace {

TEST(HeadlessRoundTrip, TorchPatternThroughTilesAndExactLayerIsExact) {
  enableValidationForTests();
  HeadlessViewer viewer;
  expectPatternRoundTrip(viewer);
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
