#pragma once
// A dense scalar grid as marching cubes reads it: n_x × n_y × n_z float samples, x varying
// fastest (value(x, y, z) = values[(z * n_y + y) * n_x + x]), and the world box spanned by the
// samples themselves: sample (0,0,0) lies at box.min and sample (n_x-1, n_y-1, n_z-1) at box.max.
//
// The occupancy bake (model/shape/occupancy_grid.h) stores out[i][j][k] = (z_i, y_j, x_k) at voxel
// centres over [-b, b]^3: that is this layout with box = voxelCentreBox(n, b).
#include <cstdint>
#include <functional>
#include <span>

#include "model/geometry/vec3.h"

namespace fieldscope {

struct GridBox {
  Vec3d min;  // world position of sample (0, 0, 0)
  Vec3d max;  // world position of sample (n_x-1, n_y-1, n_z-1)
};

struct GridShape {
  int nx = 0, ny = 0, nz = 0;
  GridBox box;
};

// A view of a grid that is fully in memory (not owned).
struct ScalarGridView {
  GridShape shape;
  const float* values = nullptr;  // nx * ny * nz floats, x fastest
};

// A grid produced plane by plane (e.g. evaluated on the fly): fills `plane` (nx * ny floats,
// x fastest) with the samples of z-plane `z`. Marching cubes asks for each plane once, in
// increasing z, and keeps at most four in memory.
using PlaneSource = std::function<void(int z, std::span<float> plane)>;

// The box of an n^3 grid of voxel centres over [-bound, bound]^3 (the occupancy bake's convention).
inline GridBox voxelCentreBox(int n, double bound) {
  const double half = bound / n;  // half a voxel
  return {{-bound + half, -bound + half, -bound + half}, {bound - half, bound - half, bound - half}};
}

}  // namespace fieldscope
