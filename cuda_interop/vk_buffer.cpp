#include "cuda_interop/vk_buffer.h"

#include <string>

#include "cuda_interop/vk_check.h"

namespace fieldscope {

VulkanBuffer::VulkanBuffer(VkPhysicalDevice physical, VkDevice device, VkDeviceSize size, VkBufferUsageFlags usage,
                           const MemoryRequest& memory, const char* what, const void* createNext)
    : device_(device), size_(size) {
  VkBufferCreateInfo bi{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  bi.pNext = createNext;
  bi.size = size;
  bi.usage = usage;
  bi.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  vkCheck(vkCreateBuffer(device_, &bi, nullptr, &buffer_), (std::string(what) + ": vkCreateBuffer").c_str());
  try {
    memory_ = DeviceMemory(physical, device_, buffer_, memory, what);
  } catch (...) {
    vkDestroyBuffer(device_, buffer_, nullptr);
    throw;
  }
}

VulkanBuffer::~VulkanBuffer() { vkDestroyBuffer(device_, buffer_, nullptr); }

}  // namespace fieldscope
