#pragma once
// The offscreen viewport image the scene is composed into (RGBA8). The compute compositor
// writes it as a storage image; it is then blitted into the window or read back.
#include <vulkan/vulkan.h>

#include <cstdint>
#include <vector>

#include "cuda_interop/vk_memory.h"
#include "render/context.h"

namespace fieldscope {
class OffscreenImage {
 public:
  // RGBA8 by default; the presenter's own window images (Presenter, CPU drivers on X11) are
  // B8G8R8A8 colour attachments.
  OffscreenImage(const VulkanContext& ctx, uint32_t width, uint32_t height, VkFormat format = VK_FORMAT_R8G8B8A8_UNORM,
                 VkImageUsageFlags extraUsage = 0);
  ~OffscreenImage();
  OffscreenImage(const OffscreenImage&) = delete;
  OffscreenImage& operator=(const OffscreenImage&) = delete;

  VkImage image() const { return image_; }
  VkImageView view() const { return view_; }
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }
  VkImageLayout layout() const { return layout_; }
  // Records a barrier into `layout` (tracking the current one).
  void transition(VkCommandBuffer cmd, VkImageLayout layout);
  // Synchronously copies the image to host memory: width*height*4 bytes RGBA8, top row first.
  std::vector<uint8_t> readback(const VulkanContext& ctx);

 private:
  VkDevice device_;
  VkImage image_ = VK_NULL_HANDLE;
  DeviceMemory memory_;  // freed after the destructor body destroyed the view and the image
  VkImageView view_ = VK_NULL_HANDLE;
  uint32_t width_, height_;
  VkImageLayout layout_ = VK_IMAGE_LAYOUT_UNDEFINED;
};

// One image-layout barrier covering all the stages this app uses (compute, transfer, fragment).
void imageBarrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to);
}  // namespace fieldscope
