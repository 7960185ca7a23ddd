#pragma once
// GPU tests skip, saying why, unless this build can share memory with CUDA and the machine
// has a CUDA device whose Vulkan driver is installed.
#include <gtest/gtest.h>
#include <torch/cuda.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "cuda_interop/cuda_support.h"
#include "render/context.h"

namespace fieldscope {

// Empty when CUDA device 0 can be used; else the reason to skip.
inline std::string gpuSkipReason() {
  CudaDeviceInfo info;
  std::string why;
  if (!queryCudaDevice(0, info, why)) return why;
  if (!torch::cuda::is_available()) return "LibTorch sees no CUDA device";
  return {};
}

#define FIELDSCOPE_REQUIRE_GPU()                                          \
  do {                                                                    \
    const std::string why = ::fieldscope::gpuSkipReason();                \
    if (!why.empty()) GTEST_SKIP() << "GPU test skipped: " << why;        \
    ::setenv("FIELDSCOPE_VALIDATION", "1", 1);                            \
  } while (0)

inline std::unique_ptr<VulkanContext> cudaPairedContext() {
  ContextOptions o;
  o.cudaDevice = 0;
  o.quiet = true;
  return std::make_unique<VulkanContext>(o);
}

}  // namespace fieldscope
