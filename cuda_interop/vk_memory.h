#pragma once
#include <vulkan/vulkan.h>

#include <cstdint>

namespace fieldscope {
// Index of a memory type in `typeBits` with all of `want`; throws std::runtime_error if none.
uint32_t findMemoryType(VkPhysicalDevice phys, uint32_t typeBits, VkMemoryPropertyFlags want);
}  // namespace fieldscope
