#pragma once
// Factory of SharedTensor's CUDA backend (cuda_shared_tensor.cpp, or cuda_backend_none.cpp in
// builds without the CUDA toolkit, where it throws).
#include <memory>

#include "cuda_interop/shared_tensor.h"

namespace fieldscope {
std::unique_ptr<SharedTensor> makeCudaSharedTensor(const VulkanDeviceRef& dev, std::vector<int64_t> shape,
                                                   SharedScalar dtype);
}  // namespace fieldscope
