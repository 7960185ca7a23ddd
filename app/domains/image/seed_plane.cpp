#include "app/domains/image/seed_plane.h"

#include <algorithm>
#include <cmath>

namespace fieldscope {

SeedMix seedPlaneMix(double x, double y) {
  x = std::max(0.0, x);
  y = std::max(0.0, y);
  const double x0 = std::floor(x), y0 = std::floor(y);
  const double fx = x - x0, fy = y - y0;
  const uint64_t i = uint64_t(x0), j = uint64_t(y0);
  auto seed = [](uint64_t a, uint64_t b) { return a + b * uint64_t(kSeedPlaneStride); };
  SeedMix m;
  m.seeds = {seed(i, j), seed(i + 1, j), seed(i, j + 1), seed(i + 1, j + 1)};
  m.weights = {float((1 - fx) * (1 - fy)), float(fx * (1 - fy)), float((1 - fx) * fy), float(fx * fy)};
  return m;
}

std::pair<double, double> seedPlanePoint(uint64_t seed) {
  return {double(seed % kSeedPlaneStride), double(seed / kSeedPlaneStride)};
}

}  // namespace fieldscope
