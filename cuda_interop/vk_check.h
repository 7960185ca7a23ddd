#pragma once
// The one VkResult check of the project (render/, cuda_interop/, app/, tests and benches).
// It lives in cuda_interop/ because that is the lowest layer that calls Vulkan
// (app -> render -> cuda_interop, docs/architecture.md "Rooms").
#include <vulkan/vulkan.h>

namespace fieldscope {
// Throws std::runtime_error("<what> failed: VK_ERROR_... (<code>)") for any result but VK_SUCCESS.
void vkCheck(VkResult result, const char* what);
// "VK_ERROR_OUT_OF_DEVICE_MEMORY" etc.; a generic text for codes it does not know.
const char* vkResultName(VkResult result);
}  // namespace fieldscope
