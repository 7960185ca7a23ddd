// (d) the schedule matches its closed form; DDIM is deterministic for a seed, seeds differ,
// batching does not change a seed's sample; slerp keeps the endpoints.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "model/diffusion/ddim.h"
#include "model/diffusion/schedule.h"
#include "model/diffusion/unet.h"

namespace fieldscope {
namespace {

TEST(DiffusionSchedule, MatchesClosedForm) {
  const auto s = DiffusionSchedule::scaledLinear(1000, 0.0015, 0.0195);
  ASSERT_EQ(s.betas.size(0), 1000);
  double prod = 1.0;
  for (int t = 0; t < 1000; ++t) {
    const double b = std::pow(std::sqrt(0.0015) + t / 999.0 * (std::sqrt(0.0195) - std::sqrt(0.0015)), 2);
    EXPECT_NEAR(s.betas[t].item<double>(), b, 1e-12) << t;
    prod *= 1 - b;
    EXPECT_NEAR(s.abar(t), prod, 1e-12) << t;
  }
  EXPECT_NEAR(s.betas[0].item<double>(), 0.0015, 1e-12);
  EXPECT_NEAR(s.betas[999].item<double>(), 0.0195, 1e-12);
  EXPECT_LT(s.abar(999), 1e-3);  // nearly pure noise at T
}

TEST(DiffusionSchedule, DdimTimesteps) {
  auto ts = ddimTimesteps(1000, 50);
  ASSERT_EQ(ts.size(), 50u);
  EXPECT_EQ(ts.front(), 999);
  EXPECT_EQ(ts.back(), 0);
  for (size_t i = 1; i < ts.size(); ++i) EXPECT_LT(ts[i], ts[i - 1]);
  EXPECT_EQ(ddimTimesteps(1000, 1).size(), 1u);
  EXPECT_EQ(ddimTimesteps(1000, 5000).size(), 1000u);
}

class DdimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(11);
    unet = UNet(UNetConfig::preset_("tiny", 4, 8));
    torch::NoGradGuard g;
    for (auto& p : unet->parameters()) p.add_(torch::randn(p.sizes()) * 0.05);  // a non-trivial network
    unet->eval();
  }
  torch::Tensor sample(std::vector<uint64_t> seeds, int steps, double eta) {
    std::vector<torch::Tensor> noise;
    std::vector<torch::Generator> gens(seeds.size());
    for (size_t i = 0; i < seeds.size(); ++i) noise.push_back(seedNoise(seeds[i], {4, 8, 8}, &gens[i]));
    return ddimSample(unet, sched, torch::stack(noise), steps, eta, gens);
  }
  UNet unet{nullptr};
  DiffusionSchedule sched = DiffusionSchedule::scaledLinear();
};

TEST_F(DdimTest, DeterministicForASeed) {
  for (double eta : {0.0, 1.0}) {
    auto a = sample({5}, 10, eta), b = sample({5}, 10, eta);
    EXPECT_TRUE(torch::equal(a, b)) << "eta " << eta;
    EXPECT_TRUE(torch::isfinite(a).all().item<bool>());
  }
}

TEST_F(DdimTest, DifferentSeedsDiffer) {
  auto a = sample({1}, 10, 0.0), b = sample({2}, 10, 0.0);
  EXPECT_GT((a - b).abs().mean().item<double>(), 0.1);
  auto e0 = sample({1}, 10, 0.0), e1 = sample({1}, 10, 1.0);  // η changes the path
  EXPECT_GT((e0 - e1).abs().mean().item<double>(), 1e-3);
}

TEST_F(DdimTest, BatchingKeepsEachSeedsSample) {
  auto batch = sample({3, 4, 5}, 8, 0.5);
  auto single = sample({4}, 8, 0.5);
  EXPECT_LT((batch[1] - single[0]).abs().max().item<double>(), 1e-4);
}

TEST(Slerp, EndpointsAndNorm) {
  auto a = seedNoise(1, {4, 16, 16}), b = seedNoise(2, {4, 16, 16});
  EXPECT_LT((slerp(a, b, 0) - a).abs().max().item<double>(), 1e-5);
  EXPECT_LT((slerp(a, b, 1) - b).abs().max().item<double>(), 1e-5);
  auto mid = slerp(a, b, 0.5);
  EXPECT_NEAR(mid.norm().item<double>(), 0.5 * (a.norm().item<double>() + b.norm().item<double>()),
              0.05 * a.norm().item<double>());
  EXPECT_TRUE(torch::equal(seedNoise(9, {4, 4}), seedNoise(9, {4, 4})));
}

TEST(UNet, ShapesAndZeroInitOutput) {
  torch::manual_seed(0);
  UNet u(UNetConfig::preset_("tiny", 4, 8));
  auto x = torch::randn({2, 4, 8, 8});
  auto y = u->forward(x, torch::tensor({10, 900}), torch::tensor({0.1f, 0.9f}));
  EXPECT_EQ(y.sizes(), x.sizes());
  UNetConfig c = UNetConfig::fromJson(u->config().toJson());
  EXPECT_EQ(c.toJson(), u->config().toJson());
}

}  // namespace
}  // namespace fieldscope
