#include "tests/domains/sdf/analytic_field.h"

#include <cmath>
#include <cstddef>

namespace fieldscope {

std::optional<AnalyticShape> analyticShapeFromName(const std::string& name) {
  if (name == "sphere") return AnalyticShape::Sphere;
  if (name == "torus") return AnalyticShape::Torus;
  return std::nullopt;
}

const char* analyticShapeName(AnalyticShape s) { return s == AnalyticShape::Sphere ? "sphere" : "torus"; }

float analyticLogit(AnalyticShape shape, float x, float y, float z) {
  if (shape == AnalyticShape::Sphere) return kAnalyticSharpness * (kSphereRadius - std::sqrt(x * x + y * y + z * z));
  const float q = std::sqrt(x * x + z * z) - kTorusMajor;
  return kAnalyticSharpness * (kTorusMinor - std::sqrt(q * q + y * y));
}

void bakeAnalytic(AnalyticShape shape, int n, float h, int z0, int z1, float* out) {
  for (int z = z0; z < z1; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        out[(size_t(z - z0) * n + y) * n + x] = analyticLogit(shape, voxelCentre(x, n, h), voxelCentre(y, n, h), voxelCentre(z, n, h));
}

}  // namespace fieldscope
