#include "cuda_interop/host_shared_tensor.h"

namespace fieldscope {

namespace {
MemoryRequest hostMapped() {
  MemoryRequest r;
  r.properties = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  r.map = true;
  return r;
}
}  // namespace

HostSharedTensor::HostSharedTensor(const VulkanDeviceRef& dev, std::vector<int64_t> shape, SharedScalar dtype)
    : SharedTensor(std::move(shape), dtype),
      storage_(dev.physical, dev.device, bytes(),
               VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
               hostMapped(), "SharedTensor") {}

}  // namespace fieldscope
