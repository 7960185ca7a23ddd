#pragma once
// A VkBuffer with its own memory for render/: device-local, or host-visible and mapped for its
// whole life. The allocation itself is cuda_interop's VulkanBuffer (written once, docs/architecture.md "Plumbing").
#include <vulkan/vulkan.h>

#include "cuda_interop/vk_buffer.h"
#include "render/context.h"

namespace fieldscope {
class GpuBuffer {
 public:
  GpuBuffer(const VulkanContext& ctx, VkDeviceSize size, VkBufferUsageFlags usage, bool hostVisible);
  GpuBuffer(const GpuBuffer&) = delete;
  GpuBuffer& operator=(const GpuBuffer&) = delete;
  VkBuffer buffer() const { return storage_.buffer(); }
  VkDeviceSize size() const { return storage_.size(); }
  void* mapped() const { return storage_.mapped(); }

 private:
  VulkanBuffer storage_;
};
}  // namespace fieldscope
