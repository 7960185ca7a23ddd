#include "render/gpu_buffer.h"

#include "render/vk_error.h"

namespace fieldscope {

GpuBuffer::GpuBuffer(const VulkanContext& ctx, VkDeviceSize size, VkBufferUsageFlags usage, bool hostVisible)
    : device_(ctx.device()), size_(size) {
  VkBufferCreateInfo bi{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  bi.size = size;
  bi.usage = usage;
  vkCheck(vkCreateBuffer(device_, &bi, nullptr, &buffer_), "vkCreateBuffer");
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(device_, buffer_, &req);
  VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  ai.allocationSize = req.size;
  ai.memoryTypeIndex = findMemoryType(ctx.physical(), req.memoryTypeBits,
                                      hostVisible ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
                                                  : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  VkResult r = vkAllocateMemory(device_, &ai, nullptr, &memory_);
  if (r == VK_SUCCESS) r = vkBindBufferMemory(device_, buffer_, memory_, 0);
  if (r == VK_SUCCESS && hostVisible) r = vkMapMemory(device_, memory_, 0, VK_WHOLE_SIZE, 0, &mapped_);
  if (r != VK_SUCCESS) {
    if (memory_) vkFreeMemory(device_, memory_, nullptr);
    vkDestroyBuffer(device_, buffer_, nullptr);
    vkCheck(r, "buffer memory allocation");
  }
}

GpuBuffer::~GpuBuffer() {
  if (mapped_) vkUnmapMemory(device_, memory_);
  vkDestroyBuffer(device_, buffer_, nullptr);
  vkFreeMemory(device_, memory_, nullptr);
}

}  // namespace fieldscope
