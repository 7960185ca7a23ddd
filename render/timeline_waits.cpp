#include "render/timeline_waits.h"

namespace fieldscope {

void TimelineWaits::addBinary(VkSemaphore s, VkPipelineStageFlags stage) {
  semaphores_.push_back(s);
  values_.push_back(0);
  stages_.push_back(stage);
}

void TimelineWaits::add(const std::vector<VulkanWait>& waits, VkPipelineStageFlags stage) {
  for (const VulkanWait& w : waits) {
    if (!w.semaphore || w.value == 0) continue;  // host memory, or nothing written yet
    semaphores_.push_back(w.semaphore);
    values_.push_back(w.value);
    stages_.push_back(stage);
    anyTimeline_ = true;
  }
}

void TimelineWaits::apply(VkSubmitInfo& si) {
  si.waitSemaphoreCount = static_cast<uint32_t>(semaphores_.size());
  si.pWaitSemaphores = semaphores_.data();
  si.pWaitDstStageMask = stages_.data();
  if (!anyTimeline_) return;
  timeline_.pNext = si.pNext;
  timeline_.waitSemaphoreValueCount = static_cast<uint32_t>(values_.size());
  timeline_.pWaitSemaphoreValues = values_.data();
  si.pNext = &timeline_;
}

}  // namespace fieldscope
