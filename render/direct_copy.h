#pragma once
// DirectCopy: an image (TRANSFER_DST layout; the window's swapchain image) that a pass copies its
// pixels straight into at (x, y), R and B swapped when `bgra`, instead of into the viewport image
// the presenter would then blit (docs/architecture.md "The app loop").
#include <vulkan/vulkan.h>

namespace fieldscope {

struct DirectCopy {
  VkImage image = VK_NULL_HANDLE;  // VK_NULL_HANDLE: none, draw into the viewport image
  int x = 0, y = 0;
  bool bgra = false;
};

}  // namespace fieldscope
