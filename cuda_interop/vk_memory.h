#pragma once
// Vulkan memory written once: the memory-type choice and allocate + bind (+ map) for buffers and
// images. Every buffer/image owner of the project (SharedTensor backends, GpuBuffer, the viewport
// image, the ray-marcher) goes through DeviceMemory instead of its own copy of these calls.
#include <vulkan/vulkan.h>

#include <cstdint>

namespace fieldscope {
// Index of a memory type in `typeBits` with all of `want`; throws std::runtime_error if none.
uint32_t findMemoryType(VkPhysicalDevice phys, uint32_t typeBits, VkMemoryPropertyFlags want);

struct MemoryRequest {
  VkMemoryPropertyFlags properties = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
  bool map = false;  // map the whole allocation for its life (needs HOST_VISIBLE)
  // Chains VkMemoryDedicatedAllocateInfo naming the buffer/image: exported memory imported by
  // CUDA as a dedicated allocation needs it (docs/architecture.md "Shared memory").
  bool dedicated = false;
  const void* allocateNext = nullptr;  // further VkMemoryAllocateInfo chain, e.g. VkExportMemoryAllocateInfo
};

// One VkDeviceMemory bound to one buffer or image at offset 0, mapped when asked; unmapped and
// freed on destruction. Destroy (or stop using) the buffer/image first: the owners declare their
// handle's destruction in their destructor body, which runs before this member is destroyed.
class DeviceMemory {
 public:
  DeviceMemory() = default;
  // Allocates memory fitting `buffer`/`image`, binds it and maps it if asked; throws
  // std::runtime_error naming `what` and leaves nothing allocated on failure.
  DeviceMemory(VkPhysicalDevice physical, VkDevice device, VkBuffer buffer, const MemoryRequest& request,
               const char* what);
  DeviceMemory(VkPhysicalDevice physical, VkDevice device, VkImage image, const MemoryRequest& request,
               const char* what);
  ~DeviceMemory();
  DeviceMemory(DeviceMemory&& other) noexcept;
  DeviceMemory& operator=(DeviceMemory&& other) noexcept;
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;

  VkDeviceMemory memory() const { return memory_; }
  VkDeviceSize size() const { return size_; }  // the allocation's size (>= the resource's)
  void* mapped() const { return mapped_; }

 private:
  void allocate(VkPhysicalDevice physical, const VkMemoryRequirements& req, const MemoryRequest& request,
                VkBuffer buffer, VkImage image, const char* what);
  void release() noexcept;

  VkDevice device_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  VkDeviceSize size_ = 0;
  void* mapped_ = nullptr;
};
}  // namespace fieldscope
