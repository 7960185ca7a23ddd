#pragma once
// Where and in which precision the image model runs (issue 6): the CPU in fp32 (the default, and
// the shipped numbers), or a CUDA device in fp32 or fp16. Generic torch APIs only: this compiles
// against a CPU-only LibTorch, where asking for CUDA fails with a clear message.
#include <torch/types.h>

#include <string>

namespace fieldscope {

struct ComputeOptions {
  torch::Device device{torch::kCPU};
  bool half = false;  // fp16 readout, fields and UNet (CUDA only); the DDIM arithmetic stays fp32
};

// device: "cpu" | "cuda" | "cuda:N"; precision: "auto" (fp16 on CUDA, fp32 on the CPU) | "fp32" | "fp16".
// Throws std::runtime_error naming the option and the problem: a malformed string, a LibTorch
// built without CUDA, no CUDA device, an index out of range, fp16 on the CPU.
ComputeOptions parseComputeOptions(const std::string& device, const std::string& precision);

// "cuda:0 (NVIDIA H200), fp16" / "cpu, fp32" (the name only where the driver tells it).
std::string describe(const ComputeOptions& options);

// The dtype activations of the fp16-capable parts run in.
inline torch::ScalarType computeDtype(const ComputeOptions& options) {
  return options.half ? torch::kHalf : torch::kFloat32;
}

// The GPU's name for a CUDA device index, or "" when it cannot be told without CUDA headers
// (read from the NVIDIA driver's /proc entry when exactly one GPU is visible).
std::string cudaDeviceName(int index);

}  // namespace fieldscope
