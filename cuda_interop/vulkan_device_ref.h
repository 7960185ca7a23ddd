#pragma once
// The few Vulkan handles a SharedTensor needs; render/ fills it from its context.
#include <vulkan/vulkan.h>

namespace fieldscope {
struct VulkanDeviceRef {
  VkInstance instance = VK_NULL_HANDLE;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkDevice device = VK_NULL_HANDLE;
};
}  // namespace fieldscope
