// Ordering under load: frame k is written by torch on its CUDA stream with value k, behind
// heavy work; the Vulkan queue copies it out after waiting on the timeline semaphore, and
// torch waits for that copy before writing frame k+1. The CPU never waits in between. Every
// read-back must hold one whole frame: all bytes equal k. Without the waits (control) the
// copies read stale frames, which shows the load is real and the check can fail.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <vector>

#include "cuda_interop/cuda_shared_tensor.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "cuda_interop/torch_cuda_stream.h"
#include "gpu_test_support.h"
#include "render/gpu_buffer.h"
#include "cuda_interop/vk_check.h"

namespace fieldscope {
namespace {

constexpr int kFrames = 48;

// One submit: optional timeline wait, a buffer copy, optional timeline signal.
void submitCopy(const VulkanContext& ctx, VkCommandBuffer cmd, VkBuffer src, VkBuffer dst, VkDeviceSize dstOffset,
                VkDeviceSize bytes, VkSemaphore sem, uint64_t waitValue, uint64_t signalValue) {
  VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  vkBeginCommandBuffer(cmd, &bi);
  VkBufferCopy c{0, dstOffset, bytes};
  vkCmdCopyBuffer(cmd, src, dst, 1, &c);
  vkEndCommandBuffer(cmd);
  VkPipelineStageFlags stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
  VkTimelineSemaphoreSubmitInfo ti{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
  ti.waitSemaphoreValueCount = waitValue ? 1 : 0;
  ti.pWaitSemaphoreValues = &waitValue;
  ti.signalSemaphoreValueCount = signalValue ? 1 : 0;
  ti.pSignalSemaphoreValues = &signalValue;
  VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  si.pNext = &ti;
  si.waitSemaphoreCount = waitValue ? 1 : 0;
  si.pWaitSemaphores = &sem;
  si.pWaitDstStageMask = &stage;
  si.signalSemaphoreCount = signalValue ? 1 : 0;
  si.pSignalSemaphores = &sem;
  si.commandBufferCount = 1;
  si.pCommandBuffers = &cmd;
  vkCheck(vkQueueSubmit(ctx.queue(), 1, &si, VK_NULL_HANDLE), "vkQueueSubmit");
}

// Runs kFrames frames; returns how many read-backs are not exactly frame k.
int runFrames(const VulkanContext& ctx, bool synchronised) {
  auto shared = SharedTensor::create(ctx.ref(), {256, 1024, 4}, SharedScalar::UInt8, SharedBackend::Cuda);
  auto* cuda = dynamic_cast<CudaSharedTensor*>(shared.get());
  EXPECT_NE(cuda, nullptr);
  CudaTimelineSemaphore& sem = cuda->semaphore();
  const VkDeviceSize bytes = shared->bytes();
  GpuBuffer readback(ctx, bytes * kFrames, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
  std::vector<VkCommandBuffer> cmds(kFrames);
  VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  ai.commandPool = ctx.commandPool();
  ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  ai.commandBufferCount = kFrames;
  vkCheck(vkAllocateCommandBuffers(ctx.device(), &ai, cmds.data()), "vkAllocateCommandBuffers");

  torch::Tensor frame = asTensor(*shared);
  frame.fill_(255);
  torch::cuda::synchronize();
  const auto opts = torch::TensorOptions().device(torch::kCUDA).dtype(torch::kFloat32);
  torch::Tensor a = torch::randn({3072, 3072}, opts) / 60.0;
  void* stream = currentTorchCudaStream(0);
  for (int k = 1; k <= kFrames; ++k) {
    const uint64_t written = 2 * k - 1, read = 2 * k;
    // Vulkan work is submitted first (it waits on the GPU, not here), then torch's.
    if (synchronised)
      submitCopy(ctx, cmds[k - 1], shared->buffer(), readback.buffer(), bytes * (k - 1), bytes, sem.vk(), written,
                 read);
    if (synchronised && k > 1) sem.waitOnCuda(read - 2, stream);  // frame k-1 has been copied out
    torch::Tensor h = a;
    for (int i = 0; i < 4; ++i) h = torch::mm(h, a).tanh_();  // the load: ~0.2 TFLOP a frame
    torch::Tensor value = (h.abs().sum() * 0 + k).to(torch::kUInt8);  // k, but only after the load
    frame.copy_(value.expand_as(frame));
    if (synchronised) {
      sem.signalFromCuda(written, stream);
    } else {
      submitCopy(ctx, cmds[k - 1], shared->buffer(), readback.buffer(), bytes * (k - 1), bytes, sem.vk(), 0, 0);
    }
  }
  torch::cuda::synchronize();
  vkQueueWaitIdle(ctx.queue());
  vkFreeCommandBuffers(ctx.device(), ctx.commandPool(), kFrames, cmds.data());
  torch::Tensor got = torch::from_blob(readback.mapped(), {kFrames, int64_t(bytes)}, torch::kUInt8);
  torch::Tensor want = torch::arange(1, kFrames + 1, torch::kInt64).to(torch::kUInt8).view({kFrames, 1});
  return int(got.ne(want).any(1).sum().item<int64_t>());
}

TEST(GpuOrdering, EveryReadBackHoldsOneWholeFrame) {
  FIELDSCOPE_REQUIRE_GPU();
  auto ctx = cudaPairedContext();
  EXPECT_EQ(runFrames(*ctx, true), 0) << "with the timeline semaphore, frame k reads k";
  EXPECT_GT(runFrames(*ctx, false), 0) << "control: without it the copies overtake torch's writes";
  EXPECT_EQ(ctx->validationErrors(), 0);
}

}  // namespace
}  // namespace fieldscope
