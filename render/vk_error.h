#pragma once
#include <vulkan/vulkan.h>

#include <stdexcept>
#include <string>

namespace fieldscope {
// Throws std::runtime_error("<what> failed: VK_ERROR_...") for any result but VK_SUCCESS.
void vkCheck(VkResult result, const char* what);
const char* vkResultName(VkResult result);
}  // namespace fieldscope
