#pragma once
// What the CUDA model tests share: the skip with its reason where there is no CUDA, and strict
// fp32 (TF32 off) for comparisons against the CPU.
#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <gtest/gtest.h>
#include <torch/cuda.h>

#include <string>

namespace fieldscope::cuda_test {

inline std::string noCudaReason() {
  if (!at::detail::getCUDAHooks().hasCUDART()) return "this LibTorch was built without CUDA";
  if (!torch::cuda::is_available()) return "the driver reports no CUDA device";
  return "";
}

// cuDNN's convolutions and cuBLAS's matrix products use TF32 by default on Ampere and later (a
// 10-bit mantissa, like fp16): comparisons with the CPU turn both off while they run.
struct Tf32Off {
  bool wasCudnn = at::globalContext().allowTF32CuDNN();
  bool wasCublas = at::globalContext().allowTF32CuBLAS();
  Tf32Off() {
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
  }
  ~Tf32Off() {
    at::globalContext().setAllowTF32CuDNN(wasCudnn);
    at::globalContext().setAllowTF32CuBLAS(wasCublas);
  }
};

}  // namespace fieldscope::cuda_test

#define REQUIRE_CUDA()                                                        \
  do {                                                                        \
    const std::string why = ::fieldscope::cuda_test::noCudaReason();          \
    if (!why.empty()) GTEST_SKIP() << "no CUDA device: " << why;              \
  } while (0)
