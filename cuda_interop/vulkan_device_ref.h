#pragma once
// The few Vulkan handles a SharedTensor needs; render/ fills it from its context.
#include <vulkan/vulkan.h>

namespace fieldscope {
struct VulkanDeviceRef {
  VkInstance instance = VK_NULL_HANDLE;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkDevice device = VK_NULL_HANDLE;
  // The CUDA device that is this same GPU (matched by UUID), -1 when none: only then can
  // SharedTensor's CUDA backend share memory with it.
  int cudaDevice = -1;
};

// A timeline-semaphore wait a Vulkan submit must include before it reads shared memory.
struct VulkanWait {
  VkSemaphore semaphore = VK_NULL_HANDLE;  // null: nothing to wait for (host backend)
  uint64_t value = 0;
};
}  // namespace fieldscope
