#include "cuda_interop/shared_tensor_torch.h"

namespace fieldscope {
torch::Tensor asTensor(const SharedTensor& shared) {
  const auto dtype = shared.dtype() == SharedScalar::UInt8 ? torch::kUInt8 : torch::kFloat32;
  const auto device = shared.backend() == SharedBackend::Cuda ? torch::kCUDA : torch::kCPU;
  return torch::from_blob(shared.torchData(), shared.shape(), torch::TensorOptions().dtype(dtype).device(device));
}
}  // namespace fieldscope
