#pragma once
// Splitting an OBJ polygon (a loop of vertex indices) into triangles with the loop's orientation:
// a quad along its shorter diagonal, larger polygons by ear clipping in the polygon's best-fit
// plane (correct for concave polygons), falling back to a fan where clipping finds no ear
// (self-intersecting or degenerate input).
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "model/geometry/vec3.h"

namespace fieldscope {

void triangulatePolygon(std::span<const std::uint32_t> loop, const std::vector<Vec3f>& positions,
                        std::vector<std::array<std::uint32_t, 3>>& out);

}  // namespace fieldscope
