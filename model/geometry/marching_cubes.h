#pragma once
// Iso-surface extraction from a dense scalar grid into a closed, hole-free, consistently
// oriented triangle mesh (the shape domain's OBJ/PLY export). "Marching cubes" is the name users
// know; the cells are cut into tetrahedra (see marching_cubes.cpp for why that makes it watertight),
// which gives about twice the triangles of table-based marching cubes for the same grid.
#include <atomic>
#include <functional>
#include <optional>

#include "model/geometry/mesh.h"
#include "model/geometry/scalar_grid.h"

namespace fieldscope {

struct MarchingCubesOptions {
  const std::atomic<bool>* cancel = nullptr;  // checked before every slab of cells
  std::function<void(double)> progress;       // fraction of slabs done, after every slab
};

// Inside is value > iso (NaN counts as outside; for occupancy logits at probability p,
// iso = log(p / (1 - p))). Samples beyond the grid count as outside, so a surface that reaches
// the grid's border is closed by a cap on the box face. Triangles are
// counter-clockwise seen from outside; normals are the field's outward gradient direction
// (central differences, trilinearly interpolated), the face normal for cap vertices.
// Returns std::nullopt when cancelled. Throws std::invalid_argument for a grid smaller than 2
// samples along an axis, a null value pointer or an empty box.
std::optional<Mesh> marchingCubes(const ScalarGridView& grid, float iso, const MarchingCubesOptions& options = {});
std::optional<Mesh> marchingCubes(const GridShape& shape, const PlaneSource& source, float iso,
                                  const MarchingCubesOptions& options = {});

}  // namespace fieldscope
