#pragma once
#include "cuda_interop/shared_tensor.h"
#include "cuda_interop/vk_buffer.h"

namespace fieldscope {
// Host backend: one HOST_VISIBLE|HOST_COHERENT allocation, mapped for its whole life.
class HostSharedTensor final : public SharedTensor {
 public:
  HostSharedTensor(const VulkanDeviceRef& dev, std::vector<int64_t> shape, SharedScalar dtype);

  SharedBackend backend() const override { return SharedBackend::Host; }
  VkBuffer buffer() const override { return storage_.buffer(); }
  void* torchData() const override { return storage_.mapped(); }
  void torchWritesDone() override {}  // coherent memory; the next vkQueueSubmit orders host writes

 private:
  VulkanBuffer storage_;
};
}  // namespace fieldscope
