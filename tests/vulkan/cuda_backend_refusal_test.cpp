// Asking for the CUDA backend where it cannot work gives a clear error, never a crash.
#include <gtest/gtest.h>

#include "cuda_interop/cuda_support.h"
#include "cuda_interop/shared_tensor.h"
#include "render/context.h"
#include "test_support.h"

namespace fieldscope {
namespace {

TEST(SharedTensorCuda, RefusedOnADeviceNotPairedWithCuda) {
  enableValidationForTests();
  ContextOptions o;
  o.quiet = true;
  VulkanContext ctx(o);  // not paired with a CUDA device (cudaDevice = -1)
  try {
    SharedTensor::create(ctx.ref(), {16}, SharedScalar::UInt8, SharedBackend::Cuda);
    FAIL() << "the CUDA backend must refuse an unpaired device";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("CUDA"), std::string::npos) << m;
  }
  EXPECT_EQ(ctx.validationErrors(), 0);
}

TEST(SharedTensorCuda, PairingWithoutCudaSaysWhy) {
  CudaDeviceInfo info;
  std::string why;
  if (queryCudaDevice(0, info, why)) GTEST_SKIP() << "this machine has CUDA device 0 (" << info.name << ")";
  EXPECT_FALSE(why.empty());
  ContextOptions o;
  o.quiet = true;
  o.cudaDevice = 0;
  try {
    VulkanContext ctx(o);
    FAIL() << "pairing with a missing CUDA device must fail";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), why);
  }
}

}  // namespace
}  // namespace fieldscope
