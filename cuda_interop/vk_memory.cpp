#include "cuda_interop/vk_memory.h"

#include <stdexcept>
#include <string>

namespace fieldscope {

uint32_t findMemoryType(VkPhysicalDevice phys, uint32_t typeBits, VkMemoryPropertyFlags want) {
  VkPhysicalDeviceMemoryProperties props;
  vkGetPhysicalDeviceMemoryProperties(phys, &props);
  for (uint32_t i = 0; i < props.memoryTypeCount; ++i)
    if ((typeBits & (1u << i)) && (props.memoryTypes[i].propertyFlags & want) == want) return i;
  throw std::runtime_error("no Vulkan memory type with the required properties (" + std::to_string(want) + ")");
}

}  // namespace fieldscope
