// Built when the CUDA toolkit is not found: the CUDA backend does not exist.
#include <stdexcept>

#include "cuda_interop/cuda_backend.h"
#include "cuda_interop/cuda_support.h"

namespace fieldscope {
bool cudaBackendCompiled() { return false; }
std::string cudaBackendMissingReason() {
  return "this build has no CUDA backend (the CUDA toolkit was not found when it was configured)";
}
bool queryCudaDevice(int, CudaDeviceInfo&, std::string& why) {
  why = cudaBackendMissingReason();
  return false;
}
std::unique_ptr<SharedTensor> makeCudaSharedTensor(const VulkanDeviceRef&, std::vector<int64_t>, SharedScalar) {
  throw std::runtime_error("SharedTensor: " + cudaBackendMissingReason());
}
}  // namespace fieldscope
