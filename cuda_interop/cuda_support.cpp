// Built when the CUDA toolkit is found (cuda_support_none.cpp otherwise).
#include "cuda_interop/cuda_support.h"

#include <cuda_runtime_api.h>

#include <cstring>

#include "cuda_interop/torch_cuda_stream.h"

namespace fieldscope {

bool cudaBackendCompiled() { return torchHasCuda(); }

std::string cudaBackendMissingReason() {
  return torchHasCuda() ? "" : "this build's LibTorch has no CUDA (the CUDA backend needs a CUDA-enabled LibTorch)";
}

bool queryCudaDevice(int index, CudaDeviceInfo& info, std::string& why) {
  if (!cudaBackendCompiled()) {
    why = cudaBackendMissingReason();
    return false;
  }
  int count = 0;
  if (cudaError_t e = cudaGetDeviceCount(&count); e != cudaSuccess) {
    why = std::string("no CUDA device: ") + cudaGetErrorString(e);
    cudaGetLastError();
    return false;
  }
  if (index < 0 || index >= count) {
    why = "CUDA device " + std::to_string(index) + " does not exist (" + std::to_string(count) + " found)";
    return false;
  }
  cudaDeviceProp prop{};
  if (cudaError_t e = cudaGetDeviceProperties(&prop, index); e != cudaSuccess) {
    why = std::string("cudaGetDeviceProperties: ") + cudaGetErrorString(e);
    return false;
  }
  info.index = index;
  info.name = prop.name;
  std::memcpy(info.uuid.data(), prop.uuid.bytes, 16);
  return true;
}

}  // namespace fieldscope
