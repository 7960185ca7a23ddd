#pragma once
#include "cuda_interop/shared_tensor.h"

namespace fieldscope {
// Host backend: one HOST_VISIBLE|HOST_COHERENT allocation, mapped for its whole life.
class HostSharedTensor final : public SharedTensor {
 public:
  HostSharedTensor(const VulkanDeviceRef& dev, std::vector<int64_t> shape, SharedScalar dtype);
  ~HostSharedTensor() override;

  SharedBackend backend() const override { return SharedBackend::Host; }
  VkBuffer buffer() const override { return buffer_; }
  void* torchData() const override { return mapped_; }
  void torchWritesDone() override {}  // coherent memory; the next vkQueueSubmit orders host writes

 private:
  VkDevice device_;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  void* mapped_ = nullptr;
};
}  // namespace fieldscope
