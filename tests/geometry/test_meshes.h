#pragma once
// Small hand-made meshes with known measurements, shared by the geometry tests.
#include "model/geometry/mesh.h"

namespace fieldscope::test {

// The cube [0, s]^3 + offset: 8 vertices, 12 outward (counter-clockwise) triangles.
inline Mesh cube(float s = 1.0f, Vec3f offset = {}) {
  Mesh m;
  for (int i = 0; i < 8; ++i)
    m.positions.push_back({offset.x + s * (i & 1), offset.y + s * ((i >> 1) & 1), offset.z + s * ((i >> 2) & 1)});
  m.triangles = {{0, 2, 1}, {1, 2, 3}, {4, 5, 6}, {5, 7, 6},   // z = 0, z = s
                 {0, 1, 4}, {1, 5, 4}, {2, 6, 3}, {3, 6, 7},   // y = 0, y = s
                 {0, 4, 2}, {2, 4, 6}, {1, 3, 5}, {3, 7, 5}};  // x = 0, x = s
  return m;
}

}  // namespace fieldscope::test
