// Built against a CPU-only LibTorch: torch never runs on a CUDA stream.
#include "cuda_interop/torch_cuda_stream.h"

namespace fieldscope {
bool torchHasCuda() { return false; }
void* currentTorchCudaStream(int) { return nullptr; }
}  // namespace fieldscope
