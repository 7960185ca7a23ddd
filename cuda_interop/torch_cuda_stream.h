#pragma once
// The CUDA stream torch runs on right now (torch-free header). Implemented against
// c10::cuda in CUDA LibTorch builds (torch_cuda_stream.cpp), else torch_cuda_stream_none.cpp.
namespace fieldscope {
// True when LibTorch was built with CUDA.
bool torchHasCuda();
// torch's current cudaStream_t on `device` (the legacy default stream, nullptr, without CUDA torch).
void* currentTorchCudaStream(int device);
}  // namespace fieldscope
