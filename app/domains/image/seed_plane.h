#pragma once
// The seed plane (as in the StyleGAN3 visualizer): seeds sit on an integer lattice,
// seed(i, j) = i + j * kSeedPlaneStride for i, j >= 0; a point (x, y) between lattice points
// blends the initial noises of its four neighbouring seeds with bilinear weights.
#include <array>
#include <cstdint>
#include <utility>

namespace fieldscope {

inline constexpr int kSeedPlaneStride = 100;

struct SeedMix {
  std::array<uint64_t, 4> seeds;  // (x0,y0) (x0+1,y0) (x0,y0+1) (x0+1,y0+1)
  std::array<float, 4> weights;   // bilinear, sum 1
};

// x, y < 0 are clamped to 0.
SeedMix seedPlaneMix(double x, double y);
// The lattice point of a seed.
std::pair<double, double> seedPlanePoint(uint64_t seed);

}  // namespace fieldscope
