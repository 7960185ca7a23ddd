// Built only against a CUDA-enabled LibTorch.
#include "cuda_interop/torch_cuda_stream.h"

#include <c10/cuda/CUDAStream.h>

namespace fieldscope {
bool torchHasCuda() { return true; }
void* currentTorchCudaStream(int device) {
  return static_cast<void*>(c10::cuda::getCurrentCUDAStream(static_cast<c10::DeviceIndex>(device)).stream());
}
}  // namespace fieldscope
