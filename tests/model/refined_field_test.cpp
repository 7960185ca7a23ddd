// The coarse-to-fine field (model/shape/refined_field.h) that bakes and meshes shapes: exact where an
// iso-surface in the band can be, the right side of it everywhere else, at a fraction of the MLP runs.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>

#include "model/shape/occupancy_grid.h"
#include "model/shape/refined_field.h"

namespace fieldscope {
namespace {

constexpr double kBound = 0.55;

// A sharp analytic occupancy logit: a torus (tube 0.08) and a thin plate (0.03 thick) under it.
torch::Tensor shapeLogit(const torch::Tensor& p) {
  auto x = p.select(1, 0), y = p.select(1, 1), z = p.select(1, 2);
  auto ring = torch::sqrt(x * x + z * z) - 0.3;
  auto torus = 0.08 - torch::sqrt(ring * ring + y * y);
  auto plate = torch::min(0.015 - (y + 0.3).abs(), 0.4 - torch::max(x.abs(), z.abs()));
  return 200.0 * torch::max(torus, plate);  // ~1 logit per 0.005: saturates a few voxels away
}

torch::Tensor denseField(int64_t n) {
  auto axis = (torch::arange(n, torch::kFloat32) + 0.5) * float(2 * kBound / n) - float(kBound);
  auto z = axis.view({n, 1, 1}).expand({n, n, n}), y = axis.view({1, n, 1}).expand({n, n, n}),
       x = axis.view({1, 1, n}).expand({n, n, n});
  return shapeLogit(torch::stack({x.reshape({-1}), y.reshape({-1}), z.reshape({-1})}, 1)).view({n, n, n});
}

torch::Tensor refinedField(int64_t n, int64_t stride, float lo, float hi, int64_t* evaluated = nullptr) {
  RefinedFieldPlanes planes(shapeLogit, n, kBound, stride, lo, hi);
  auto out = torch::empty({n, n, n});
  for (int64_t z = 0; z < n; ++z) out[z].copy_(planes.plane(z));
  if (evaluated) *evaluated = planes.pointsEvaluated();
  return out;
}

TEST(RefinedField, ExactInTheBandRightSideEverywhereAndFarFewerEvaluations) {
  const int64_t n = 128;
  const auto dense = denseField(n);
  int64_t evaluated = 0;
  const auto refined = refinedField(n, 4, -5, 5, &evaluated);
  const auto inBand = dense.abs() <= 5;
  EXPECT_LT((refined - dense).abs().masked_select(inBand).max().item<float>(), 1e-4) << "exact near the surface";
  EXPECT_EQ(((refined > 0) != (dense > 0)).sum().item<int64_t>(), 0) << "inside/outside right everywhere";
  // This field is mostly surface (a torus over a plate, both faces of the plate): a third at most.
  EXPECT_LT(evaluated, n * n * n / 3) << evaluated << " of " << n * n * n;
}

TEST(RefinedField, StrideOneAndAnEndlessBandAreTheDenseField) {
  const int64_t n = 37;  // not a multiple of the stride: the last slab is short
  const auto dense = denseField(n);
  // Logits up to ~100 here: float rounding of the coordinates, nothing more.
  EXPECT_LT((refinedField(n, 1, -5, 5) - dense).abs().max().item<float>(), 1e-4);
  EXPECT_LT((refinedField(n, 4, -1e30f, 1e30f) - dense).abs().max().item<float>(), 1e-4);
}

TEST(RefinedField, PlanesComeInOrderOnly) {
  RefinedFieldPlanes planes(shapeLogit, 16, kBound, 4, -5, 5);
  planes.plane(0);
  EXPECT_THROW(planes.plane(2), std::logic_error);
  EXPECT_THROW(RefinedFieldPlanes(shapeLogit, 16, kBound, 0, -5, 5), std::invalid_argument);
}

TEST(RefinedField, CoarseToFineBakeMatchesTheDenseBakeNearTheSurfaceAndCancels) {
  torch::manual_seed(5);
  OccupancyDecoder d(OccupancyDecoderConfig::preset_("tiny"));
  d->eval();
  const auto fields = d->randomFields(3, torch::kFloat32);
  const int64_t n = 48;
  auto dense = torch::empty({n, n, n}), fine = torch::empty({n, n, n});
  BakeOptions exact;
  exact.stride = 1;
  ASSERT_TRUE(bakeOccupancy(d, fields, n, dense, exact));
  BakeOptions c2f;
  c2f.stride = 4;
  ASSERT_TRUE(bakeOccupancy(d, fields, n, fine, c2f));
  const auto inBand = dense.abs() <= 5;
  ASSERT_GT(inBand.sum().item<int64_t>(), 0);
  EXPECT_LT((fine - dense).abs().masked_select(inBand).max().item<float>(), 1e-4);
  std::atomic<bool> cancel{true};
  c2f.cancel = &cancel;
  EXPECT_FALSE(bakeOccupancy(d, fields, n, fine, c2f));
}

}  // namespace
}  // namespace fieldscope
