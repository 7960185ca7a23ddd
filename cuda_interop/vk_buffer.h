#pragma once
// VulkanBuffer: a VkBuffer with its own memory (DeviceMemory), created, bound and (if asked)
// mapped in one place. GpuBuffer (render/) and both SharedTensor backends are built on it.
#include <vulkan/vulkan.h>

#include "cuda_interop/vk_memory.h"

namespace fieldscope {
class VulkanBuffer {
 public:
  // `createNext`: a VkBufferCreateInfo chain (e.g. VkExternalMemoryBufferCreateInfo). Throws
  // std::runtime_error naming `what`; nothing leaks on failure.
  VulkanBuffer(VkPhysicalDevice physical, VkDevice device, VkDeviceSize size, VkBufferUsageFlags usage,
               const MemoryRequest& memory, const char* what, const void* createNext = nullptr);
  ~VulkanBuffer();
  VulkanBuffer(const VulkanBuffer&) = delete;
  VulkanBuffer& operator=(const VulkanBuffer&) = delete;

  VkBuffer buffer() const { return buffer_; }
  VkDeviceMemory memory() const { return memory_.memory(); }
  VkDeviceSize size() const { return size_; }  // as asked for
  VkDeviceSize allocationSize() const { return memory_.size(); }  // may be larger than size()
  void* mapped() const { return memory_.mapped(); }

 private:
  VkDevice device_;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceSize size_;
  DeviceMemory memory_;  // freed after the destructor body has destroyed buffer_
};
}  // namespace fieldscope
