#pragma once
// The learning-rate schedule the trainers share: a linear warm-up, then a cosine decay to a floor.
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace fieldscope {

struct WarmupCosine {
  double peak;
  int64_t warmupSteps;
  double floor;  // the fraction of `peak` left at the end
  int64_t totalSteps;

  double at(int64_t step) const {
    const double warm = std::min(1.0, (step + 1) / static_cast<double>(warmupSteps));
    const double cosine = 0.5 * (1 + std::cos(M_PI * std::min(1.0, static_cast<double>(step) / totalSteps)));
    return peak * warm * (floor + (1 - floor) * cosine);
  }
};

}  // namespace fieldscope
