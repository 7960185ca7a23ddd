#pragma once
// Error checks for the CUDA runtime calls of the CUDA backend.
#include <cuda_runtime_api.h>

#include <stdexcept>
#include <string>

namespace fieldscope {
inline void cudaCheck(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    cudaGetLastError();  // clear the sticky-free error state
    throw std::runtime_error(std::string("CUDA interop: ") + what + " failed: " + cudaGetErrorString(e));
  }
}
}  // namespace fieldscope
