#include "model/geometry/mesh_stats.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace fieldscope {
namespace {

// Union-find over vertex indices (path halving), for connected components.
class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  std::uint32_t find(std::uint32_t v) {
    while (parent_[v] != v) v = parent_[v] = parent_[parent_[v]];
    return v;
  }
  void unite(std::uint32_t a, std::uint32_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<std::uint32_t> parent_;
};

struct HalfEdge {
  std::uint64_t edge;  // (smaller vertex << 32) | larger vertex
  bool forward;        // runs from the smaller vertex to the larger
};

HalfEdge halfEdge(std::uint32_t from, std::uint32_t to) {
  const std::uint64_t lo = std::min(from, to), hi = std::max(from, to);
  return {(lo << 32) | hi, from < to};
}

// Counts vertices whose triangles do not form a single closed fan. Triangle (v, a, b) contributes
// the link edge a -> b of v; in an oriented manifold the link edges of v chain into one cycle
// (the next triangle around v is the one whose link edge starts at b).
std::size_t countNonManifoldVertices(const Mesh& mesh) {
  struct Corner {
    std::uint32_t vertex, from, to;
  };
  std::vector<Corner> corners;
  corners.reserve(mesh.triangles.size() * 3);
  for (const auto& t : mesh.triangles)
    for (int i = 0; i < 3; ++i) corners.push_back({t[i], t[(i + 1) % 3], t[(i + 2) % 3]});
  std::sort(corners.begin(), corners.end(), [](const Corner& a, const Corner& b) {
    return a.vertex != b.vertex ? a.vertex < b.vertex : a.from < b.from;
  });
  std::size_t bad = 0;
  std::vector<char> visited;
  for (std::size_t i = 0; i < corners.size();) {
    std::size_t j = i;
    while (j < corners.size() && corners[j].vertex == corners[i].vertex) ++j;
    // corners[i, j) sorted by `from`: follow link edges from the first one and count the visits.
    auto find = [&](std::uint32_t from) -> std::size_t {
      const auto it = std::lower_bound(corners.begin() + static_cast<std::ptrdiff_t>(i),
                                       corners.begin() + static_cast<std::ptrdiff_t>(j), from,
                                       [](const Corner& c, std::uint32_t f) { return c.from < f; });
      const auto at = static_cast<std::size_t>(it - corners.begin());
      return at < j && corners[at].from == from ? at : j;
    };
    visited.assign(j - i, 0);
    std::size_t steps = 0, at = i;
    while (at < j && !visited[at - i]) {
      visited[at - i] = 1;
      ++steps;
      at = find(corners[at].to);
    }
    if (steps != j - i) ++bad;  // an open fan, several fans, or a repeated link edge
    i = j;
  }
  return bad;
}

}  // namespace

MeshStats computeMeshStats(const Mesh& mesh) {
  MeshStats stats;
  const std::size_t n = mesh.positions.size();
  stats.faces = mesh.triangles.size();
  std::vector<char> used(n, 0);
  DisjointSets sets(n);
  // Every triangle's three directed edges, keyed by their undirected edge and sorted: an edge's
  // uses are then adjacent, and how many run each way tells the orientation.
  std::vector<HalfEdge> halfEdges;
  halfEdges.reserve(mesh.triangles.size() * 3);
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t) {
    const auto& tri = mesh.triangles[t];
    for (std::uint32_t v : tri)
      if (v >= n)
        throw std::invalid_argument("mesh statistics: triangle " + std::to_string(t) + " uses vertex " +
                                    std::to_string(v) + " of " + std::to_string(n));
    const Vec3d p0 = toDouble(mesh.positions[tri[0]]);
    const Vec3d p1 = toDouble(mesh.positions[tri[1]]);
    const Vec3d p2 = toDouble(mesh.positions[tri[2]]);
    // Divergence theorem: the volume is the sum of the signed tetrahedra (origin, p0, p1, p2).
    stats.volume += dot(p0, cross(p1, p2)) / 6.0;
    stats.area += length(cross(p1 - p0, p2 - p0)) / 2.0;
    if (tri[0] == tri[1] || tri[1] == tri[2] || tri[2] == tri[0]) ++stats.degenerateFaces;
    for (int i = 0; i < 3; ++i) {
      used[tri[i]] = 1;
      halfEdges.push_back(halfEdge(tri[i], tri[(i + 1) % 3]));
    }
    sets.unite(tri[0], tri[1]);
    sets.unite(tri[1], tri[2]);
  }
  std::sort(halfEdges.begin(), halfEdges.end(),
            [](const HalfEdge& a, const HalfEdge& b) { return a.edge < b.edge; });
  for (std::size_t i = 0; i < halfEdges.size();) {
    std::size_t j = i, forward = 0;
    while (j < halfEdges.size() && halfEdges[j].edge == halfEdges[i].edge) forward += halfEdges[j++].forward;
    const std::size_t uses = j - i;
    ++stats.edges;
    if (uses == 1) ++stats.boundaryEdges;
    else if (uses > 2) ++stats.nonManifoldEdges;
    else if (forward != 1) ++stats.misorientedEdges;  // both triangles run it the same way
    i = j;
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (!used[v]) continue;
    ++stats.vertices;
    if (sets.find(static_cast<std::uint32_t>(v)) == v) ++stats.components;
  }
  stats.nonManifoldVertices = countNonManifoldVertices(mesh);
  stats.eulerCharacteristic = static_cast<long long>(stats.vertices) - static_cast<long long>(stats.edges) +
                              static_cast<long long>(stats.faces);
  return stats;
}

}  // namespace fieldscope
