#pragma once
// The analytic shapes of the test-only "sdftest" domain, as occupancy logits
// k (r - distance to the shape's core): a sphere and a torus. Torch-free, so the window tests
// bake the very grid the domain shows and ray-march it with the CPU reference.
#include <optional>
#include <string>

namespace fieldscope {

enum class AnalyticShape { Sphere, Torus };

std::optional<AnalyticShape> analyticShapeFromName(const std::string& name);
const char* analyticShapeName(AnalyticShape s);

constexpr float kAnalyticSharpness = 40.0f;  // logit per unit of distance
constexpr float kSphereRadius = 0.35f;
constexpr float kTorusMajor = 0.3f, kTorusMinor = 0.12f;  // about the Y axis

float analyticLogit(AnalyticShape shape, float x, float y, float z);
// Voxel k's centre along an axis of an n-voxel grid over [-h, h]: -h + (k + 0.5) 2h / n.
inline float voxelCentre(int k, int n, float h) { return (float(k) + 0.5f) * (2.0f * h / float(n)) - h; }
// Slices z in [z0, z1) of the n^3 grid, [z][y][x], into out (n*n floats per slice, from slice z0).
void bakeAnalytic(AnalyticShape shape, int n, float halfExtent, int z0, int z1, float* out);

}  // namespace fieldscope
