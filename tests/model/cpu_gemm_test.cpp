// The readout's CPU GEMM (model/util/cpu_gemm.h): every layout the readout hands it gives torch's
// product, beta 0 overwrites and beta 1 accumulates, and what oneDNN cannot take still comes out right.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "model/util/cpu_gemm.h"

namespace cpu_gemm_test {

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

TEST(CpuGemm, MatchesTorchInEveryLayout) {
  torch::manual_seed(0);
  const torch::Tensor a = torch::randn({1000, 32}), b = torch::randn({32, 24}), bias = torch::randn({24});
  const torch::Tensor want = a.mm(b);
  for (bool aT : {false, true})
    for (bool bT : {false, true}) {
      const torch::Tensor A = aT ? a.t().contiguous().t() : a, B = bT ? b.t().contiguous().t() : b;
      torch::Tensor c = torch::full({1000, 24}, 7.0f);
      fieldscope::gemmInto(c, A, B, 0);  // overwrites: the 7s are gone
      EXPECT_LT(maxDiff(c, want), 1e-4) << "a transposed " << aT << ", b transposed " << bT;
      fieldscope::gemmInto(c, A, B, 1);  // accumulates
      EXPECT_LT(maxDiff(c, 2 * want), 2e-4);
      fieldscope::addmmInto(c, bias, A, B);
      EXPECT_LT(maxDiff(c, want + bias), 1e-4);
    }
}

TEST(CpuGemm, SlicesStridesAndOtherTypes) {
  torch::manual_seed(1);
  // slices with a leading dimension past their width, every second column (no BLAS layout: torch
  // multiplies it), fp64 and an empty product
  const torch::Tensor wide = torch::randn({64, 48});
  const torch::Tensor a = wide.narrow(1, 8, 16).narrow(0, 0, 63).t().contiguous().t().narrow(0, 0, 60);
  const torch::Tensor b = torch::randn({16, 8});
  torch::Tensor c = torch::empty({60, 8});
  fieldscope::gemmInto(c, wide.narrow(0, 0, 60).narrow(1, 8, 16), b, 0);
  EXPECT_LT(maxDiff(c, wide.narrow(0, 0, 60).narrow(1, 8, 16).mm(b)), 1e-4);
  fieldscope::gemmInto(c, a, b, 0);
  EXPECT_LT(maxDiff(c, a.mm(b)), 1e-4);
  const torch::Tensor everySecond = torch::randn({60, 32}).slice(1, 0, 32, 2);
  fieldscope::gemmInto(c, everySecond, b, 0);
  EXPECT_LT(maxDiff(c, everySecond.mm(b)), 1e-4);
  torch::Tensor d = torch::zeros({5, 3}, torch::kFloat64);
  fieldscope::gemmInto(d, torch::ones({5, 2}, torch::kFloat64), torch::ones({2, 3}, torch::kFloat64), 1);
  EXPECT_EQ(d.sum().item<double>(), 30.0);
  torch::Tensor e = torch::full({4, 3}, 2.0f);
  fieldscope::gemmInto(e, torch::empty({4, 0}), torch::empty({0, 3}), 1);  // K = 0: c unchanged
  EXPECT_EQ(e.sum().item<float>(), 24.0f);
  EXPECT_THROW(fieldscope::gemmInto(e, torch::ones({4, 2}), torch::ones({2, 3}), 0.5f), std::invalid_argument);
}

TEST(CpuGemm, TorchsPathGivesTheSameProduct) {
  torch::manual_seed(2);
  const torch::Tensor a = torch::randn({300, 32}), b = torch::randn({32, 32}), bias = torch::randn({32});
  torch::Tensor viaDefault = torch::empty({300, 32}), viaTorch = torch::empty({300, 32});
  fieldscope::addmmInto(viaDefault, bias, a, b);
  fieldscope::setOneDnnGemm(false);
  fieldscope::addmmInto(viaTorch, bias, a, b);
  fieldscope::setOneDnnGemm(true);
  EXPECT_LT(maxDiff(viaDefault, viaTorch), 1e-4);
  EXPECT_LT(maxDiff(viaTorch, torch::addmm(bias, a, b)), 1e-6);
}

TEST(CpuGemm, SaysWhichGemmItUses) {
  const std::string text = fieldscope::cpuGemmText();
  EXPECT_TRUE(text.rfind("oneDNN sgemm (libdnnl ", 0) == 0 || text == "torch addmm (no libdnnl in this build)") << text;
}

}  // namespace cpu_gemm_test
