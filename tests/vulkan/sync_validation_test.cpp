// The Vulkan tests' validation includes synchronization validation (render/context.cpp): a
// deliberate hazard -- two writes of one buffer with no barrier between them -- is reported. So
// the "0 validation errors" every other Vulkan and window test checks also means "no hazards".
#include <gtest/gtest.h>

#include "render/context.h"
#include "render/gpu_buffer.h"
#include "test_support.h"

namespace fieldscope {
namespace {

TEST(SyncValidation, AMissingBarrierIsReported) {
  enableValidationForTests();
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);
  ASSERT_TRUE(ctx.validationEnabled());
  if (!ctx.syncValidationEnabled()) GTEST_SKIP() << "this validation layer offers no VK_EXT_validation_features";
  GpuBuffer buffer(ctx, 4096, VK_BUFFER_USAGE_TRANSFER_DST_BIT, false);
  ctx.submitAndWait([&](VkCommandBuffer cmd) {
    vkCmdFillBuffer(cmd, buffer.buffer(), 0, 4096, 1u);
    vkCmdFillBuffer(cmd, buffer.buffer(), 0, 4096, 2u);  // write after write, no barrier: a hazard
  });
  EXPECT_GT(ctx.validationErrors(), 0) << "synchronization validation did not see the missing barrier";
}

}  // namespace
}  // namespace fieldscope
