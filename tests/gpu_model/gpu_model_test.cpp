// The image model on CUDA (issue 6): fp32 on the GPU reproduces the CPU, fp16 stays close to fp32,
// and a paper-sized model runs. Every test skips where there is no CUDA device.
//
// cuDNN's convolutions use TF32 by default on Ampere and later (a 10-bit mantissa, like fp16), so
// the CPU-vs-CUDA comparisons turn it off (Tf32Off) and check the default setting separately.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>

#include "model/data/image_folder.h"
#include "model/diffusion/cuda_graph_epsilon.h"
#include "model/image/image_model.h"
#include "model/image/region_decoder.h"
#include "tests/gpu_model/cuda_test_support.h"

namespace fieldscope {
namespace {

using cuda_test::Tf32Off;

const ComputeOptions kCuda32{torch::Device(torch::kCUDA, 0), false};
const ComputeOptions kCuda16{torch::Device(torch::kCUDA, 0), true};

std::filesystem::path shipped() { return std::filesystem::path(FIELDSCOPE_SOURCE_DIR) / "assets/models/emoji-image.fsm"; }

struct Region {
  double x0, y0, x1, y1;
  const char* name;
};
const Region kWhole{0, 0, 1, 1, "x1"};
const Region kZoom37{0.41, 0.37, 0.41 + 1.0 / 37, 0.37 + 1.0 / 37, "x37"};

// Decodes into a strided view (3 pixels of padding each side of every row) of a buffer on `device`.
torch::Tensor decodeStrided(ImageModel& m, const ImageFields& f, const Region& r, int W, int H, torch::Device device) {
  auto buffer = torch::zeros({H, W + 6, 4}, torch::dtype(torch::kUInt8).device(device));
  auto view = buffer.narrow(1, 3, W);
  m.decodeRegion(f, r.x0, r.y0, r.x1, r.y1, W, H, view);
  EXPECT_TRUE(buffer.narrow(1, 0, 3).eq(0).all().item<bool>()) << "wrote outside the view";
  return view.to(torch::kCPU).to(torch::kInt32);
}

struct Diff {
  int max;
  double mean;
};
Diff diff(const torch::Tensor& a, const torch::Tensor& b) {
  auto d = (a - b).abs();
  return {d.max().item<int>(), d.to(torch::kFloat64).mean().item<double>()};
}

double relL2(const torch::Tensor& a, const torch::Tensor& b) {
  auto a64 = a.to(torch::kCPU, torch::kFloat64), b64 = b.to(torch::kCPU, torch::kFloat64);
  return ((a64 - b64).norm() / b64.norm()).item<double>();
}

class ShippedOnCuda : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_CUDA();
    if (!std::filesystem::exists(shipped())) GTEST_SKIP() << shipped() << " not present";
    torch::set_num_threads(4);
    if (!cpu_) {
      cpu_ = ImageModel::load(shipped()).release();
      cuda32_ = ImageModel::load(shipped(), kCuda32).release();
      cuda16_ = ImageModel::load(shipped(), kCuda16).release();
      latent_ = cpu_->sampleLatent(3, 50);
    }
  }
  static inline ImageModel *cpu_ = nullptr, *cuda32_ = nullptr, *cuda16_ = nullptr;
  static inline torch::Tensor latent_;  // CPU fp32 sample of seed 3, 50 steps
};

TEST_F(ShippedOnCuda, ModelsAndFieldsLiveOnTheDevice) {
  EXPECT_TRUE(cuda32_->compute().device.is_cuda());
  for (const auto& p : cuda32_->vae()->parameters()) ASSERT_TRUE(p.is_cuda());
  auto f16 = cuda16_->makeFields(latent_);
  for (int k = 0; k < 3; ++k) {
    EXPECT_TRUE(f16.levels[k].is_cuda());
    EXPECT_EQ(f16.levels[k].scalar_type(), torch::kHalf);
    EXPECT_EQ(f16.hwc[k].scalar_type(), torch::kHalf);
  }
  auto z = cuda16_->sampleLatent(3, 2);
  EXPECT_TRUE(z.is_cuda());
  EXPECT_EQ(z.scalar_type(), torch::kFloat32);  // the DDIM state stays fp32
  // out on another device than the model's is refused
  auto out = torch::zeros({8, 8, 4}, torch::kUInt8);
  EXPECT_THROW(cpu_->decodeRegion(cpu_->makeFields(latent_), 0, 0, 1, 1, 8, 8, out.to(torch::kCUDA)), std::runtime_error);
}

TEST_F(ShippedOnCuda, Fp32DecodeEqualsTheCpuDecode) {
  Tf32Off strict;
  auto fc = cpu_->makeFields(latent_);
  auto fg = cuda32_->makeFields(latent_);
  for (const Region& r : {kWhole, kZoom37}) {
    auto a = decodeStrided(*cpu_, fc, r, 320, 256, torch::kCPU);
    auto b = decodeStrided(*cuda32_, fg, r, 320, 256, torch::kCUDA);
    const Diff d = diff(a, b);
    std::printf("CUDA fp32 vs CPU decode %s (TF32 off): max %d/255, mean %.4f/255\n", r.name, d.max, d.mean);
    EXPECT_LE(d.max, 1) << r.name;
    EXPECT_TRUE(b.select(2, 3).eq(255).all().item<bool>());
    // the same decode into a CPU tensor from the CUDA model: the same bytes
    auto c = decodeStrided(*cuda32_, fg, r, 320, 256, torch::kCPU);
    EXPECT_TRUE(torch::equal(b, c)) << r.name;
  }
}

TEST_F(ShippedOnCuda, Fp32DecodeWithDefaultTf32IsClose) {
  auto fc = cpu_->makeFields(latent_);
  auto fg = cuda32_->makeFields(latent_);
  for (const Region& r : {kWhole, kZoom37}) {
    const Diff d = diff(decodeStrided(*cpu_, fc, r, 320, 256, torch::kCPU),
                        decodeStrided(*cuda32_, fg, r, 320, 256, torch::kCUDA));
    std::printf("CUDA fp32 vs CPU decode %s (default TF32=%d): max %d/255, mean %.4f/255\n", r.name,
                int(at::globalContext().allowTF32CuDNN()), d.max, d.mean);
    EXPECT_LE(d.max, 3) << r.name;
    EXPECT_LE(d.mean, 0.5) << r.name;
  }
}

TEST_F(ShippedOnCuda, Fp16DecodeIsCloseToFp32) {
  Tf32Off strict;
  auto f32 = cuda32_->makeFields(latent_);
  auto f16 = cuda16_->makeFields(latent_);
  for (const Region& r : {kWhole, kZoom37}) {
    auto a = decodeStrided(*cuda32_, f32, r, 320, 256, torch::kCUDA);
    auto b = decodeStrided(*cuda16_, f16, r, 320, 256, torch::kCUDA);
    const Diff d = diff(a, b);
    std::printf("CUDA fp16 vs fp32 decode %s: max %d/255, mean %.4f/255\n", r.name, d.max, d.mean);
    EXPECT_LE(d.max, 3) << r.name;
    EXPECT_LE(d.mean, 0.5) << r.name;
    EXPECT_GT(a.narrow(2, 0, 3).to(torch::kFloat32).std().item<double>(), 5.0) << "a flat picture would prove nothing";
  }
  auto fl = decodeRegionFloat(cuda16_->vae(), f16, 0, 0, 1, 1, 64, 64);
  EXPECT_TRUE(fl.is_cuda());
  EXPECT_EQ(fl.scalar_type(), torch::kFloat32);
  EXPECT_GE(psnr(fl, decodeRegionFloat(cuda32_->vae(), f32, 0, 0, 1, 1, 64, 64)), 40.0);
}

TEST_F(ShippedOnCuda, Fp16SampleIsCloseToFp32) {
  Tf32Off strict;
  auto z32 = cuda32_->sampleLatent(3, 50);
  auto z16 = cuda16_->sampleLatent(3, 50);
  const double rel = relL2(z16, z32);
  auto img32 = decodeRegionFloat(cuda32_->vae(), cuda32_->makeFields(z32), 0, 0, 1, 1, 128, 128);
  auto img16 = decodeRegionFloat(cuda16_->vae(), cuda16_->makeFields(z16), 0, 0, 1, 1, 128, 128);
  const double p = psnr(img16, img32);
  std::printf("CUDA fp16 vs fp32 DDIM-50 seed 3: latent relative L2 %.2e, decoded PSNR %.1f dB\n", rel, p);
  EXPECT_LE(rel, 2e-2);
  EXPECT_GE(p, 30.0);
}

TEST_F(ShippedOnCuda, Fp32SampleEqualsTheCpuSample) {
  {
    Tf32Off strict;
    auto zg = cuda32_->sampleLatent(3, 50);
    const double rel = relL2(zg, latent_);
    std::printf("CUDA fp32 vs CPU DDIM-50 seed 3 (TF32 off): relative L2 %.2e\n", rel);
    EXPECT_LE(rel, 1e-3);
    // η > 0: the per-step noise comes from the seed's CPU generator on both
    auto ec = cpu_->sampleLatent(5, 20, 1.f), eg = cuda32_->sampleLatent(5, 20, 1.f);
    const double relEta = relL2(eg, ec);
    std::printf("CUDA fp32 vs CPU DDIM-20 eta 1 seed 5 (TF32 off): relative L2 %.2e\n", relEta);
    EXPECT_LE(relEta, 1e-3);
    // batched seeds equal single ones on the device too
    auto batch = cuda32_->sampleLatents({3, 4}, 50);
    EXPECT_LE(relL2(batch.narrow(0, 0, 1), zg), 1e-5);
  }
  auto zt = cuda32_->sampleLatent(3, 50);
  const double relTf32 = relL2(zt, latent_);
  std::printf("CUDA fp32 vs CPU DDIM-50 seed 3 (default TF32=%d): relative L2 %.2e\n",
              int(at::globalContext().allowTF32CuDNN()), relTf32);
  EXPECT_LE(relTf32, 2e-2);
}

// The DDIM loop's UNet call replayed from a CUDA graph gives the eager loop's sample (the same
// kernels on the same inputs), for one seed, a batch and η > 0.
TEST_F(ShippedOnCuda, GraphedSampleEqualsTheEagerSample) {
  ASSERT_TRUE(cudaGraphsCompiled());
  Tf32Off strict;
  for (ImageModel* m : {cuda32_, cuda16_}) {
    setCudaGraphsEnabled(false);
    const auto eager = m->sampleLatent(3, 50), eagerBatch = m->sampleLatents({3, 4}, 20), eagerEta = m->sampleLatent(5, 20, 1.f);
    setCudaGraphsEnabled(true);
    const int64_t replaysBefore = cudaGraphReplays();
    const auto graphed = m->sampleLatent(3, 50), graphedBatch = m->sampleLatents({3, 4}, 20),
               graphedEta = m->sampleLatent(5, 20, 1.f);
    EXPECT_EQ(cudaGraphReplays() - replaysBefore, 50 + 20 + 20) << "every step replayed from a graph (no eager fallback)";
    std::printf("%s: graphed vs eager DDIM-50 seed 3: relative L2 %.2e\n", describe(m->compute()).c_str(), relL2(graphed, eager));
    EXPECT_LE(relL2(graphed, eager), 1e-6);
    EXPECT_LE(relL2(graphedBatch, eagerBatch), 1e-6);
    EXPECT_LE(relL2(graphedEta, eagerEta), 1e-6);
  }
}

TEST(UntrainedOnCuda, PaperModelConstructsAndDecodesFinitely) {
  REQUIRE_CUDA();
  for (const ComputeOptions& o : {kCuda16, kCuda32}) {
    auto m = ImageModel::untrained("paper", o, 0);
    ASSERT_TRUE(m->canSample());
    EXPECT_EQ(m->trainResolution(), 256);
    auto z = m->sampleLatent(1, 2);
    ASSERT_EQ(z.sizes(), torch::IntArrayRef({1, 64, 64, 64}));
    EXPECT_TRUE(torch::isfinite(z).all().item<bool>()) << describe(o);
    auto f = m->makeFields(z);
    auto rgb = decodeRegionFloat(m->vae(), f, 0.2, 0.2, 0.45, 0.45, 64, 64);
    EXPECT_TRUE(torch::isfinite(rgb).all().item<bool>()) << describe(o);
    auto out = torch::zeros({64, 64, 4}, torch::dtype(torch::kUInt8).device(o.device));
    m->decodeRegion(f, 0.2, 0.2, 0.45, 0.45, 64, 64, out);
    EXPECT_TRUE(out.select(2, 3).eq(255).all().item<bool>());
    std::printf("untrained paper on %s: latent |z| max %.3g, decode |rgb| max %.3g\n", describe(o).c_str(),
                z.abs().max().item<double>(), rgb.abs().max().item<double>());
  }
}

}  // namespace
}  // namespace fieldscope
