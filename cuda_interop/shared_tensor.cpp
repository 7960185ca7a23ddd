#include "cuda_interop/shared_tensor.h"

#include <stdexcept>

#include "cuda_interop/cuda_backend.h"
#include "cuda_interop/host_shared_tensor.h"

namespace fieldscope {

size_t sharedScalarBytes(SharedScalar s) { return s == SharedScalar::UInt8 ? 1 : 4; }

const char* sharedBackendName(SharedBackend b) {
  return b == SharedBackend::Host ? "host-mapped (CPU)" : "CUDA external memory";
}

size_t SharedTensor::bytes() const {
  size_t n = sharedScalarBytes(dtype_);
  for (int64_t d : shape_) n *= static_cast<size_t>(d);
  return n;
}

std::unique_ptr<SharedTensor> SharedTensor::create(const VulkanDeviceRef& dev, std::vector<int64_t> shape,
                                                   SharedScalar dtype, SharedBackend backend) {
  for (int64_t d : shape)
    if (d <= 0) throw std::runtime_error("SharedTensor: every dimension must be positive");
  if (backend == SharedBackend::Cuda) return makeCudaSharedTensor(dev, std::move(shape), dtype);
  return std::make_unique<HostSharedTensor>(dev, std::move(shape), dtype);
}

}  // namespace fieldscope
