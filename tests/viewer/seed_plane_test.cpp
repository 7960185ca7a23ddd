// The seed plane's bilinear blend of four neighbouring seeds.
#include <gtest/gtest.h>

#include "app/domains/image/seed_plane.h"

namespace fieldscope {
namespace {

TEST(SeedPlane, LatticePointIsOneSeed) {
  const SeedMix m = seedPlaneMix(5, 2);
  EXPECT_EQ(m.seeds[0], 205u);
  EXPECT_FLOAT_EQ(m.weights[0], 1.0f);
  EXPECT_FLOAT_EQ(m.weights[1] + m.weights[2] + m.weights[3], 0.0f);
  EXPECT_EQ(seedPlanePoint(205), std::make_pair(5.0, 2.0));
}

TEST(SeedPlane, BilinearWeightsOfTheFourNeighbours) {
  const SeedMix m = seedPlaneMix(3.25, 0.5);
  EXPECT_EQ(m.seeds, (std::array<uint64_t, 4>{3, 4, 103, 104}));
  EXPECT_FLOAT_EQ(m.weights[0], 0.75f * 0.5f);
  EXPECT_FLOAT_EQ(m.weights[1], 0.25f * 0.5f);
  EXPECT_FLOAT_EQ(m.weights[2], 0.75f * 0.5f);
  EXPECT_FLOAT_EQ(m.weights[3], 0.25f * 0.5f);
  float sum = 0;
  for (float w : m.weights) sum += w;
  EXPECT_FLOAT_EQ(sum, 1.0f);
}

TEST(SeedPlane, NegativeIsClampedToTheEdge) {
  const SeedMix m = seedPlaneMix(-3, -0.5);
  EXPECT_EQ(m.seeds[0], 0u);
  EXPECT_FLOAT_EQ(m.weights[0], 1.0f);
}

}  // namespace
}  // namespace fieldscope
