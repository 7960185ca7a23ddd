// The mixed-precision plumbing of the fp16 CUDA path, exercised on the CPU with fp64 standing in
// for fp16 (the CPU LibTorch has no fp16 GEMMs): weights converted except GroupNorms and the gate,
// norms and softmax in fp32, the readout in the fields' dtype, outputs in fp32. A dtype that leaks
// to the wrong place throws here; the results must match the fp32 ones.
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/diffusion/unet.h"
#include "model/image/image_model.h"
#include "model/image/region_decoder.h"
#include "model/nn/half_precision.h"

namespace fieldscope {
namespace {

UNet seededUnet() {
  torch::manual_seed(2);
  UNet u(UNetConfig::preset_("tiny", 8, 8));
  torch::NoGradGuard g;
  for (auto& p : u->named_parameters())
    if (p.key().rfind("conv_out.", 0) == 0) p.value().normal_(0, 0.05);  // zero-initialised: make the net count
  u->eval();
  return u;
}

TEST(PrecisionPlumbing, ConvertedUnetKeepsNormsAndGateAndMatches) {
  torch::NoGradGuard ng;
  UNet ref = seededUnet(), conv = seededUnet();
  convertWeightsKeepingNorms(*conv, torch::kFloat64, {"mix_logit"});
  for (const auto& p : conv->named_parameters()) {
    const bool norm = p.key().find("norm") != std::string::npos, gate = p.key() == "mix_logit";
    EXPECT_EQ(p.value().scalar_type(), norm || gate ? torch::kFloat32 : torch::kFloat64) << p.key();
  }
  auto gen = at::make_generator<at::CPUGeneratorImpl>(9);
  auto x = torch::randn({2, 8, 8, 8}, gen, torch::kFloat32);
  auto t = torch::tensor({10, 900}, torch::kInt64);
  auto s = torch::tensor({0.1f, 0.9f});
  auto a = ref->forward(x, t, s), b = conv->forward(x, t, s);
  EXPECT_EQ(b.scalar_type(), torch::kFloat32);  // the gate mixes in x's dtype
  EXPECT_LT((a - b).abs().max().item<double>(), 1e-5);
  // the network part matters (not only the gate's sqrt(1 - abar) x)
  auto m = torch::sigmoid(ref->named_parameters()["mix_logit"]).view({1, -1, 1, 1});
  EXPECT_GT((a - m * s.view({-1, 1, 1, 1}) * x).abs().max().item<double>(), 1e-3);
}

TEST(PrecisionPlumbing, ReadoutRunsInTheFieldsDtype) {
  torch::set_num_threads(2);
  auto m = ImageModel::untrained("tiny", ComputeOptions{}, 4);
  auto f32 = m->makeFields(m->sampleLatent(1, 3));
  ImageFields f64;
  for (int k = 0; k < 3; ++k) f64.levels[k] = f32.levels[k].to(torch::kFloat64);
  f64.channelsLast();
  for (const auto& r : {std::array<double, 4>{0, 0, 1, 1}, std::array<double, 4>{0.3, 0.4, 0.33, 0.43}}) {
    auto a = torch::zeros({24, 40, 4}, torch::kUInt8), b = torch::zeros({24, 40, 4}, torch::kUInt8);
    m->decodeRegion(f32, r[0], r[1], r[2], r[3], 40, 24, a);
    m->decodeRegion(f64, r[0], r[1], r[2], r[3], 40, 24, b);
    EXPECT_LE((a.to(torch::kInt32) - b.to(torch::kInt32)).abs().max().item<int>(), 1);
    auto fa = decodeRegionFloat(m->vae(), f32, r[0], r[1], r[2], r[3], 40, 24);
    auto fb = decodeRegionFloat(m->vae(), f64, r[0], r[1], r[2], r[3], 40, 24);
    EXPECT_EQ(fb.scalar_type(), torch::kFloat32);
    EXPECT_LT((fa - fb).abs().max().item<double>(), 1e-4);
    EXPECT_GT(fa.std().item<double>(), 1e-3);  // not a constant picture
  }
  // the grid_sample path and the training-path renderRegion take the fields' dtype too
  auto coords = torch::rand({1, 50, 2});
  auto pa = m->vae()->decode(f32, coords, 0.8), pb = m->vae()->decode(f64, coords.to(torch::kFloat64), 0.8);
  EXPECT_LT((pa - pb.to(torch::kFloat32)).abs().max().item<double>(), 1e-4);
  auto ra = m->vae()->renderRegion(f32, 0, 0, 1, 1, 16, 16), rb = m->vae()->renderRegion(f64, 0, 0, 1, 1, 16, 16);
  EXPECT_LT((ra - rb.to(torch::kFloat32)).abs().max().item<double>(), 1e-4);
}

TEST(PrecisionPlumbing, ChunkSizeDependsOnTheDevice) {
  const ImageVaeConfig small = ImageVaeConfig::preset_("small"), paper = ImageVaeConfig::preset_("paper");
  EXPECT_EQ(defaultChunkPoints(small, torch::kCPU, torch::kFloat32), 16384);
  EXPECT_EQ(defaultChunkPoints(paper, torch::kCPU, torch::kFloat32), 16384);
  const torch::Device cuda(torch::kCUDA, 0);  // a value only: no CUDA needed
  EXPECT_EQ(defaultChunkPoints(small, cuda, torch::kFloat32), int64_t{1} << 20);
  EXPECT_EQ(defaultChunkPoints(paper, cuda, torch::kHalf), int64_t{1} << 18);
  EXPECT_EQ(defaultChunkPoints(paper, cuda, torch::kFloat32), int64_t{1} << 17);
}

}  // namespace
}  // namespace fieldscope
