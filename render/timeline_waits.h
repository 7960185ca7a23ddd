#pragma once
// Fills the wait part of a VkSubmitInfo from shared tensors' timeline waits (VulkanWait).
#include <vulkan/vulkan.h>

#include <vector>

#include "cuda_interop/vulkan_device_ref.h"

namespace fieldscope {

class TimelineWaits {
 public:
  // Adds binary semaphores the submit already waits on (value ignored), then `waits`.
  void addBinary(VkSemaphore s, VkPipelineStageFlags stage);
  void add(const std::vector<VulkanWait>& waits, VkPipelineStageFlags stage);
  // Points si's wait arrays (and its pNext, when any timeline wait exists) at this object,
  // which must outlive the vkQueueSubmit.
  void apply(VkSubmitInfo& si);

 private:
  std::vector<VkSemaphore> semaphores_;
  std::vector<uint64_t> values_;
  std::vector<VkPipelineStageFlags> stages_;
  bool anyTimeline_ = false;
  VkTimelineSemaphoreSubmitInfo timeline_{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
};

}  // namespace fieldscope
