#include "render/gpu_buffer.h"

namespace fieldscope {

namespace {
MemoryRequest bufferMemory(bool hostVisible) {
  MemoryRequest r;
  r.properties = hostVisible ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
                             : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
  r.map = hostVisible;
  return r;
}
}  // namespace

GpuBuffer::GpuBuffer(const VulkanContext& ctx, VkDeviceSize size, VkBufferUsageFlags usage, bool hostVisible)
    : storage_(ctx.physical(), ctx.device(), size, usage, bufferMemory(hostVisible), "GpuBuffer") {}

}  // namespace fieldscope
