// 1000 create/destroy cycles of CUDA shared tensors (memory + timeline semaphore exported from
// Vulkan, imported into CUDA, written by torch) leak no file descriptors and no device memory.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "cuda_interop/shared_tensor_torch.h"
#include "gpu_test_support.h"
#ifdef FIELDSCOPE_CUDA_INTEROP
#include <cuda_runtime_api.h>
#endif

namespace fieldscope {
namespace {

int openFileDescriptors() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

TEST(GpuSharedTensor, ThousandCreateDestroyCyclesLeakNothing) {
  FIELDSCOPE_REQUIRE_GPU();
#ifndef FIELDSCOPE_CUDA_INTEROP
  GTEST_SKIP() << "no CUDA interop in this build";
#else
  auto ctx = cudaPairedContext();
  auto cycle = [&](int i) {
    auto shared = SharedTensor::create(ctx->ref(), {1024, 1024}, SharedScalar::UInt8, SharedBackend::Cuda);
    asTensor(*shared).fill_(i & 255);
    shared->torchWritesDone();
    ctx->submitAndWait([](VkCommandBuffer) {}, {shared->vulkanWait()});
  };
  for (int i = 0; i < 10; ++i) cycle(i);  // warm-up: driver-internal allocations
  torch::cuda::synchronize();
  size_t free0 = 0, total = 0;
  ASSERT_EQ(cudaMemGetInfo(&free0, &total), cudaSuccess);
  const int fds0 = openFileDescriptors();
  for (int i = 0; i < 1000; ++i) cycle(i);
  torch::cuda::synchronize();
  size_t free1 = 0;
  ASSERT_EQ(cudaMemGetInfo(&free1, &total), cudaSuccess);
  EXPECT_EQ(openFileDescriptors(), fds0) << "file descriptors leaked";
  const double lostMiB = (double(free0) - double(free1)) / (1 << 20);
  EXPECT_LT(lostMiB, 16.0) << "device memory lost over 1000 cycles of 1 MiB: " << lostMiB << " MiB";
  EXPECT_EQ(ctx->validationErrors(), 0);
#endif
}

}  // namespace
}  // namespace fieldscope
