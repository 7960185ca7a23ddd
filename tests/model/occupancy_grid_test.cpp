// The occupancy readout and its bake into a dense grid: voxel order, chunking, cancel, and the
// triplane projections.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>

#include "model/shape/occupancy_grid.h"

namespace fieldscope {
namespace {

OccupancyDecoder tinyDecoder() {
  torch::manual_seed(5);
  OccupancyDecoder d(OccupancyDecoderConfig::preset_("tiny"));
  d->eval();
  return d;
}

TEST(OccupancyGrid, VoxelIJKHoldsTheFieldAtZiYjXk) {
  auto d = tinyDecoder();
  const auto fields = d->randomFields(3, torch::kFloat32);
  const int64_t n = 12;
  auto grid = torch::full({n, n, n}, std::nan(""), torch::kFloat32);
  ASSERT_TRUE(bakeOccupancy(d, fields, n, grid));
  EXPECT_TRUE(torch::isfinite(grid).all().item<bool>()) << "every voxel written";
  const double b = d->config().bound;
  for (auto [i, j, k] : {std::array<int64_t, 3>{0, 0, 0}, {11, 2, 7}, {3, 9, 1}, {6, 6, 11}}) {
    torch::NoGradGuard ng;
    auto p = torch::tensor({{voxelCentre(k, n, b), voxelCentre(j, n, b), voxelCentre(i, n, b)}}, torch::kFloat32);
    const float want = d->forward(fields, p).item<float>();
    EXPECT_NEAR(grid[i][j][k].item<float>(), want, 1e-5) << i << "," << j << "," << k;
    auto swapped = torch::tensor({{voxelCentre(i, n, b), voxelCentre(j, n, b), voxelCentre(k, n, b)}}, torch::kFloat32);
    if (i != k) EXPECT_GT(std::abs(d->forward(fields, swapped).item<float>() - want), 1e-4) << "order matters";
  }
}

TEST(OccupancyGrid, ChunkSizeDoesNotChangeTheGrid) {
  auto d = tinyDecoder();
  const auto fields = d->randomFields(4, torch::kFloat32);
  auto a = torch::empty({10, 10, 10}), b = torch::empty({10, 10, 10});
  BakeOptions small;
  small.chunkPoints = 97;  // not a divisor of 1000
  ASSERT_TRUE(bakeOccupancy(d, fields, 10, a, small));
  ASSERT_TRUE(bakeOccupancy(d, fields, 10, b));
  EXPECT_LT((a - b).abs().max().item<float>(), 1e-5);
}

TEST(OccupancyGrid, ProgressReachesOneAndCancelStops) {
  auto d = tinyDecoder();
  const auto fields = d->randomFields(5, torch::kFloat32);
  auto g = torch::empty({8, 8, 8});
  BakeOptions o;
  o.chunkPoints = 100;
  double last = 0;
  int calls = 0;
  o.progress = [&](double f) {
    EXPECT_GE(f, last);
    last = f;
    ++calls;
  };
  ASSERT_TRUE(bakeOccupancy(d, fields, 8, g, o));
  EXPECT_EQ(calls, 6);  // 512 points in chunks of 100
  EXPECT_DOUBLE_EQ(last, 1.0);
  std::atomic<bool> cancel{true};
  o.cancel = &cancel;
  o.progress = nullptr;
  EXPECT_FALSE(bakeOccupancy(d, fields, 8, g, o));
  EXPECT_THROW(bakeOccupancy(d, fields, 8, torch::empty({8, 8, 7})), std::runtime_error);
}

TEST(OccupancyGrid, EachPlaneSeesItsOwnTwoAxes) {
  // Only the xy plane is non-zero and varies along x: moving z changes nothing, moving x does.
  auto planes = torch::zeros({3, 1, 4, 4});
  planes[0][0] = torch::arange(4, torch::kFloat32).view({1, 4}).expand({4, 4});
  auto at = [&](float x, float y, float z) {
    return sampleTriplane(planes, torch::tensor({{x, y, z}}))[0][0].item<float>();
  };
  EXPECT_FLOAT_EQ(at(0.1f, 0.2f, -0.9f), at(0.1f, 0.2f, 0.7f));
  EXPECT_GT(at(0.5f, 0.2f, 0.0f), at(-0.5f, 0.2f, 0.0f));
  EXPECT_FLOAT_EQ(at(-1.0f, 0.0f, 0.0f), 0.0f);  // the first texel's centre is at -0.75: border
}

TEST(OccupancyGrid, PresetsHaveThePaperSizes) {
  const auto p = OccupancyDecoderConfig::preset_("paper");
  EXPECT_EQ(p.fieldChannels, 64);
  EXPECT_EQ(p.width, 256);
  EXPECT_EQ(p.fieldResolution[2], 64);
  EXPECT_THROW(OccupancyDecoderConfig::preset_("huge"), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
