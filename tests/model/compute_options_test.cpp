// --device / --precision parsing and the untrained preset models, on the CPU: the messages a user
// sees without CUDA, and that an untrained model samples and decodes.
#include <ATen/detail/CUDAHooksInterface.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/image/image_model.h"
#include "model/util/compute_options.h"

namespace fieldscope {
namespace {

void expectRejected(const std::string& device, const std::string& precision, const std::string& mustMention) {
  try {
    parseComputeOptions(device, precision);
    FAIL() << device << " / " << precision << " was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(mustMention), std::string::npos) << e.what();
  }
}

TEST(ComputeOptions, CpuDefaults) {
  for (const char* p : {"auto", "fp32"}) {
    const ComputeOptions o = parseComputeOptions("cpu", p);
    EXPECT_TRUE(o.device.is_cpu());
    EXPECT_FALSE(o.half);
  }
  EXPECT_EQ(describe(ComputeOptions{}), "cpu, fp32");
  EXPECT_EQ(computeDtype(ComputeOptions{}), torch::kFloat32);
}

TEST(ComputeOptions, BadStringsAndFp16OnTheCpu) {
  expectRejected("cpu", "fp16", "fp16");
  expectRejected("cpu", "fp64", "--precision 'fp64'");
  expectRejected("cpu", "", "--precision");
  expectRejected("gpu", "auto", "--device 'gpu'");
  expectRejected("CPU", "auto", "--device 'CPU'");
  expectRejected("cudax", "auto", "--device 'cudax'");
  expectRejected("cuda:", "auto", "--device 'cuda:'");
  expectRejected("cuda:x", "auto", "--device 'cuda:x'");
  expectRejected("cuda:-1", "auto", "--device 'cuda:-1'");
  expectRejected("cuda:0:1", "auto", "--device 'cuda:0:1'");
  expectRejected("cuda", "half", "--precision 'half'");
}

TEST(ComputeOptions, CudaRequestWithoutCudaIsAClearError) {
  if (torch::cuda::is_available()) {
    const ComputeOptions o = parseComputeOptions("cuda", "auto");
    EXPECT_TRUE(o.device.is_cuda());
    EXPECT_TRUE(o.half);
    EXPECT_FALSE(parseComputeOptions("cuda:0", "fp32").half);
    expectRejected("cuda:99", "auto", "no CUDA device 99");
    return;
  }
  const bool built = at::detail::getCUDAHooks().hasCUDART();
  const std::string why = built ? "no CUDA device" : "this LibTorch was built without CUDA";
  expectRejected("cuda", "auto", "--device cuda: " + why);
  expectRejected("cuda:1", "fp16", "--device cuda:1: " + why);
  expectRejected("cuda", "fp32", why);
}

TEST(UntrainedModel, TinySamplesAFiniteLatentAndDecodes) {
  torch::set_num_threads(2);
  auto m = ImageModel::untrained("tiny", ComputeOptions{}, 1);
  ASSERT_TRUE(m->canSample());
  EXPECT_EQ(m->trainResolution(), 16);
  EXPECT_TRUE(m->compute().device.is_cpu());
  auto z = m->sampleLatent(3, 5);
  ASSERT_EQ(z.sizes(), torch::IntArrayRef({1, 8, 8, 8}));
  EXPECT_TRUE(torch::isfinite(z).all().item<bool>());
  EXPECT_GT(z.abs().max().item<double>(), 0.1);  // not collapsed to zero
  EXPECT_TRUE(torch::equal(z, m->sampleLatent(3, 5)));
  auto out = torch::zeros({12, 20, 4}, torch::kUInt8);
  m->decodeRegion(m->makeFields(z), 0, 0, 1, 1, 20, 12, out);
  EXPECT_TRUE(out.select(2, 3).eq(255).all().item<bool>());
  // same seed, same weights
  auto m2 = ImageModel::untrained("tiny", ComputeOptions{}, 1);
  EXPECT_TRUE(torch::equal(z, m2->sampleLatent(3, 5)));
}

TEST(UntrainedModel, BadPresetAndFp16OnTheCpuAreRefused) {
  EXPECT_THROW(ImageModel::untrained("huge", ComputeOptions{}), std::runtime_error);
  EXPECT_THROW(ImageModel::untrained("tiny", ComputeOptions{torch::kCPU, true}), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
