#pragma once
// Measurements that tell whether a mesh is a solid's boundary: volume and area, the closed
// 2-manifold check (every edge in exactly two triangles, used once in each direction, and the
// triangles around every vertex forming one fan), Euler
// characteristic and connected components. Used by the tests and by export's sanity report.
#include <cstddef>

#include "model/geometry/mesh.h"

namespace fieldscope {

struct MeshStats {
  double volume = 0;  // signed, by the divergence theorem: > 0 for an outward-oriented closed mesh
  double area = 0;
  std::size_t vertices = 0;          // vertices used by at least one triangle
  std::size_t edges = 0;             // distinct undirected edges
  std::size_t faces = 0;             // triangles
  std::size_t boundaryEdges = 0;     // in one triangle only: a hole
  std::size_t nonManifoldEdges = 0;  // in three or more triangles
  std::size_t misorientedEdges = 0;  // in two triangles that both use it in the same direction
  std::size_t nonManifoldVertices = 0;  // its triangles are not one closed fan (a pinch, or a hole's rim)
  std::size_t degenerateFaces = 0;   // a triangle that repeats a vertex index
  std::size_t components = 0;        // connected through shared vertices
  long long eulerCharacteristic = 0; // V - E + F: 2 per sphere-like component, 0 for a torus

  // Closed, edge-manifold and consistently oriented.
  bool closedManifold() const {
    return faces > 0 && boundaryEdges == 0 && nonManifoldEdges == 0 && misorientedEdges == 0 &&
           nonManifoldVertices == 0 && degenerateFaces == 0;
  }
};

// Throws std::invalid_argument when a triangle uses a vertex index out of range.
MeshStats computeMeshStats(const Mesh& mesh);

}  // namespace fieldscope
