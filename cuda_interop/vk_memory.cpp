#include "cuda_interop/vk_memory.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "cuda_interop/vk_check.h"

namespace fieldscope {

uint32_t findMemoryType(VkPhysicalDevice phys, uint32_t typeBits, VkMemoryPropertyFlags want) {
  VkPhysicalDeviceMemoryProperties props;
  vkGetPhysicalDeviceMemoryProperties(phys, &props);
  for (uint32_t i = 0; i < props.memoryTypeCount; ++i)
    if ((typeBits & (1u << i)) && (props.memoryTypes[i].propertyFlags & want) == want) return i;
  throw std::runtime_error("no Vulkan memory type with the required properties (" + std::to_string(want) + ")");
}

DeviceMemory::DeviceMemory(VkPhysicalDevice physical, VkDevice device, VkBuffer buffer, const MemoryRequest& request,
                           const char* what)
    : device_(device) {
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(device, buffer, &req);
  allocate(physical, req, request, buffer, VK_NULL_HANDLE, what);
}

DeviceMemory::DeviceMemory(VkPhysicalDevice physical, VkDevice device, VkImage image, const MemoryRequest& request,
                           const char* what)
    : device_(device) {
  VkMemoryRequirements req;
  vkGetImageMemoryRequirements(device, image, &req);
  allocate(physical, req, request, VK_NULL_HANDLE, image, what);
}

void DeviceMemory::allocate(VkPhysicalDevice physical, const VkMemoryRequirements& req, const MemoryRequest& request,
                            VkBuffer buffer, VkImage image, const char* what) {
  VkMemoryDedicatedAllocateInfo dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO};
  dedicated.pNext = request.allocateNext;
  dedicated.buffer = buffer;
  dedicated.image = image;
  VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  ai.pNext = request.dedicated ? &dedicated : request.allocateNext;
  ai.allocationSize = req.size;
  ai.memoryTypeIndex = findMemoryType(physical, req.memoryTypeBits, request.properties);
  const std::string w(what);
  vkCheck(vkAllocateMemory(device_, &ai, nullptr, &memory_), (w + ": vkAllocateMemory").c_str());
  size_ = req.size;
  try {
    if (buffer)
      vkCheck(vkBindBufferMemory(device_, buffer, memory_, 0), (w + ": vkBindBufferMemory").c_str());
    else
      vkCheck(vkBindImageMemory(device_, image, memory_, 0), (w + ": vkBindImageMemory").c_str());
    if (request.map) vkCheck(vkMapMemory(device_, memory_, 0, VK_WHOLE_SIZE, 0, &mapped_), (w + ": vkMapMemory").c_str());
  } catch (...) {
    release();
    throw;
  }
}

DeviceMemory::~DeviceMemory() { release(); }

DeviceMemory::DeviceMemory(DeviceMemory&& other) noexcept
    : device_(other.device_),
      memory_(std::exchange(other.memory_, VK_NULL_HANDLE)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, nullptr)) {}

DeviceMemory& DeviceMemory::operator=(DeviceMemory&& other) noexcept {
  if (this != &other) {
    release();
    device_ = other.device_;
    memory_ = std::exchange(other.memory_, VK_NULL_HANDLE);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, nullptr);
  }
  return *this;
}

void DeviceMemory::release() noexcept {
  if (mapped_) vkUnmapMemory(device_, memory_);
  mapped_ = nullptr;
  if (memory_) vkFreeMemory(device_, memory_, nullptr);
  memory_ = VK_NULL_HANDLE;
  size_ = 0;
}

}  // namespace fieldscope
