#pragma once
// A VkBuffer with its own memory; host-visible ones stay mapped.
#include <vulkan/vulkan.h>

#include "cuda_interop/vk_memory.h"
#include "render/context.h"

namespace fieldscope {
class GpuBuffer {
 public:
  GpuBuffer(const VulkanContext& ctx, VkDeviceSize size, VkBufferUsageFlags usage, bool hostVisible);
  ~GpuBuffer();
  GpuBuffer(const GpuBuffer&) = delete;
  GpuBuffer& operator=(const GpuBuffer&) = delete;
  VkBuffer buffer() const { return buffer_; }
  VkDeviceSize size() const { return size_; }
  void* mapped() const { return mapped_; }

 private:
  VkDevice device_;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  VkDeviceSize size_;
  void* mapped_ = nullptr;
};
}  // namespace fieldscope
