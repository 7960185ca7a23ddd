// torch writes into CUDA memory that Vulkan owns; Vulkan reads it (a copy, and the viewer's
// compositor shader sampling the tile atlas); the read-back equals what torch wrote.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "app/gui/headless_viewer.h"
#include "app/gui/pattern_source.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "gpu_test_support.h"
#include "render/gpu_buffer.h"
#include "tests/vulkan/pattern_roundtrip.h"

namespace fieldscope {
namespace {

TEST(GpuSharedTensor, TorchPatternOnCudaEqualsVulkanReadBack) {
  FIELDSCOPE_REQUIRE_GPU();
  auto ctx = cudaPairedContext();
  ASSERT_TRUE(ctx->externalInterop());
  auto shared = SharedTensor::create(ctx->ref(), {300, 1000, 4}, SharedScalar::UInt8, SharedBackend::Cuda);
  torch::Tensor t = asTensor(*shared);
  ASSERT_TRUE(t.is_cuda());
  EXPECT_EQ(t.data_ptr(), shared->torchData()) << "no copy: the tensor is a view of the Vulkan allocation";

  const auto i64 = torch::TensorOptions().dtype(torch::kInt64).device(torch::kCUDA);
  torch::Tensor pattern = (torch::arange(t.numel(), i64) * static_cast<int64_t>(2654435761)).bitwise_right_shift(7).bitwise_and(255)
                              .to(torch::kUInt8).view(t.sizes());
  t.copy_(pattern);
  shared->torchWritesDone();  // no host synchronisation: the Vulkan submit waits on the semaphore

  GpuBuffer readback(*ctx, shared->bytes(), VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
  ctx->submitAndWait(
      [&](VkCommandBuffer cmd) {
        VkBufferCopy c{0, 0, shared->bytes()};
        vkCmdCopyBuffer(cmd, shared->buffer(), readback.buffer(), 1, &c);
      },
      {shared->vulkanWait()});
  torch::Tensor want = pattern.cpu().contiguous();
  EXPECT_EQ(std::memcmp(readback.mapped(), want.data_ptr(), shared->bytes()), 0);
  torch::Tensor got = torch::from_blob(readback.mapped(), {int64_t(shared->bytes())}, torch::kUInt8);
  EXPECT_GT(got.ne(want.view(-1).roll(1)).sum().item<int64_t>(), 1000) << "the comparison can fail";
  EXPECT_EQ(ctx->validationErrors(), 0);
}

TEST(GpuSharedTensor, PatternThroughTheCompositorOnCudaIsExact) {
  FIELDSCOPE_REQUIRE_GPU();
  HeadlessViewer viewer(-1, /*cudaDevice=*/0);
  ASSERT_EQ(viewer.pyramid().backend(), SharedBackend::Cuda);
  expectPatternRoundTrip(viewer);
}

}  // namespace
}  // namespace fieldscope
