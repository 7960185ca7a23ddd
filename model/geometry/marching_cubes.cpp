#include "model/geometry/marching_cubes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// Why the mesh is closed and hole-free
// ------------------------------------
// Every grid cell is cut into the six tetrahedra of its Kuhn (Freudenthal) decomposition: for each
// order (a, b, c) of the axes, the tetrahedron {0, a, a+b, a+b+c} of the cell's corners, all six
// sharing the cell's main diagonal. Every cell uses the same decomposition, so each square face of
// a cell is split along the same diagonal by both cells that share it: the tetrahedra form one
// conforming tetrahedral mesh of the whole grid (every triangle of it is a face of exactly two
// tetrahedra, or of one on the grid's border).
//
// Within one tetrahedron the iso-surface of the linearly interpolated field is a single triangle or
// a single quad; unlike a cube, a tetrahedron has no ambiguous sign configuration. Its boundary is
// the segment that joins the two crossings on each face that changes sign, and a crossing depends
// only on its edge's two end values. So the two tetrahedra sharing a face produce the same segment
// there, every surface edge inside the grid lies in exactly two triangles, and neighbouring pieces
// agree on which side is inside, which makes the orientation consistent. Vertices are shared
// through an edge index (one vertex per crossed grid edge: 3 axis edges, 3 face diagonals and the
// cell diagonal per grid point), so the mesh is closed combinatorially, not just geometrically.
//
// Samples beyond the grid count as outside. Rather than padding the grid, each border triangle of
// the tetrahedral mesh is treated as a tetrahedron whose fourth vertex is an outside point beyond
// the box and whose crossings towards it sit exactly on the border samples: that caps the surface
// with the inside part of the box face, bounded by the very segments the walls end on, and along
// the box's edges the caps of two faces meet on shared border-sample vertices.
//
// Crossings are kept strictly inside their edge (t in [kMinT, 1 - kMinT]), so a sample exactly at
// the iso-level never makes two vertices coincide (tools that weld by position would otherwise
// create non-manifold edges).

namespace fieldscope {
namespace {

constexpr double kMinT = 1e-3;
constexpr std::uint32_t kNoVertex = std::numeric_limits<std::uint32_t>::max();
constexpr int kVirtual = -1;  // the outside point beyond a border triangle

// Corner c of a cell (0..7) is the offset (c & 1, (c >> 1) & 1, (c >> 2) & 1).
int bit(int corner, int axis) { return (corner >> axis) & 1; }

// The Kuhn decomposition: {0, a, a|b, 7} for the six orders of the axis bits (1, 2, 4). Along
// every edge of these tetrahedra the lower corner's bits are a subset of the upper corner's.
constexpr int kTetrahedra[6][4] = {{0, 1, 3, 7}, {0, 1, 5, 7}, {0, 2, 3, 7},
                                   {0, 2, 6, 7}, {0, 4, 5, 7}, {0, 4, 6, 7}};

// Keeps the (at most four) z-planes of samples that one slab of cells needs: z-1 .. z+2 (the
// gradients at the slab's corners use their neighbours). A dense grid is read in place.
class PlaneWindow {
 public:
  PlaneWindow(const GridShape& shape, const float* dense, const PlaneSource* source)
      : shape_(shape), dense_(dense), source_(source) {
    if (!dense_) {
      for (auto& buffer : buffers_) buffer.resize(static_cast<std::size_t>(shape.nx) * shape.ny);
      loaded_.fill(-1);
    }
  }

  const float* plane(int z) {
    const std::size_t planeSize = static_cast<std::size_t>(shape_.nx) * shape_.ny;
    if (dense_) return dense_ + static_cast<std::size_t>(z) * planeSize;
    const int slot = z & 3;
    if (loaded_[slot] != z) {
      (*source_)(z, std::span<float>(buffers_[slot]));
      loaded_[slot] = z;
    }
    return buffers_[slot].data();
  }

  float value(int x, int y, int z) { return plane(z)[static_cast<std::size_t>(y) * shape_.nx + x]; }

 private:
  GridShape shape_;
  const float* dense_;
  const PlaneSource* source_;
  std::array<std::vector<float>, 4> buffers_;
  std::array<int, 4> loaded_{};
};

struct SimplexVertex {
  int corner;      // 0..7, or kVirtual
  bool inside;
  int ref[3];      // doubled position in the cell (exact), for orientation only
};

class TetMarcher {
 public:
  TetMarcher(const GridShape& shape, PlaneWindow& window, float iso, Mesh& mesh)
      : shape_(shape), window_(window), iso_(iso), mesh_(mesh) {
    spacing_ = {(shape.box.max.x - shape.box.min.x) / (shape.nx - 1),
                (shape.box.max.y - shape.box.min.y) / (shape.ny - 1),
                (shape.box.max.z - shape.box.min.z) / (shape.nz - 1)};
    const std::size_t slots = static_cast<std::size_t>(shape.nx) * shape.ny * 8;
    lowSlots_.assign(slots, kNoVertex);
    highSlots_.assign(slots, kNoVertex);
    lowInside_.resize(static_cast<std::size_t>(shape.nx) * shape.ny);
    highInside_.resize(lowInside_.size());
  }

  void slab(int cz) {
    cz_ = cz;
    if (cz == 0) classify(0, lowInside_);
    classify(cz + 1, highInside_);
    for (int cy = 0; cy + 1 < shape_.ny; ++cy)
      for (int cx = 0; cx + 1 < shape_.nx; ++cx) cell(cx, cy);
    // The top plane's in-plane edges and border samples are the next slab's bottom ones.
    std::swap(lowSlots_, highSlots_);
    std::fill(highSlots_.begin(), highSlots_.end(), kNoVertex);
    std::swap(lowInside_, highInside_);
  }

  // Vertices whose field gradient vanished (a flat field) get the mean normal of their triangles.
  void finishNormals() {
    if (flatVertices_.empty()) return;
    std::vector<Vec3d> sums(mesh_.positions.size());
    std::vector<char> flat(mesh_.positions.size(), 0);
    for (std::uint32_t v : flatVertices_) flat[v] = 1;
    for (const auto& t : mesh_.triangles) {
      if (!flat[t[0]] && !flat[t[1]] && !flat[t[2]]) continue;
      const Vec3d p0 = toDouble(mesh_.positions[t[0]]);
      const Vec3d n = cross(toDouble(mesh_.positions[t[1]]) - p0, toDouble(mesh_.positions[t[2]]) - p0);
      for (std::uint32_t v : t)
        if (flat[v]) sums[v] = sums[v] + n;
    }
    for (std::uint32_t v : flatVertices_) {
      const double len = length(sums[v]);
      mesh_.normals[v] = len > 0 ? toFloat((1.0 / len) * sums[v]) : Vec3f{0, 0, 1};
    }
  }

 private:
  bool isInside(float v) const { return v > iso_; }  // NaN compares false: outside

  void classify(int z, std::vector<char>& inside) {
    const float* p = window_.plane(z);
    for (std::size_t i = 0; i < inside.size(); ++i) inside[i] = isInside(p[i]);
  }

  void cell(int cx, int cy) {
    const std::size_t nx = shape_.nx;
    const std::size_t i00 = static_cast<std::size_t>(cy) * nx + cx;
    const char in[8] = {lowInside_[i00],       lowInside_[i00 + 1],       lowInside_[i00 + nx],
                        lowInside_[i00 + nx + 1], highInside_[i00],      highInside_[i00 + 1],
                        highInside_[i00 + nx], highInside_[i00 + nx + 1]};
    int count = 0;
    for (char c : in) count += c;
    const bool border = cx == 0 || cy == 0 || cz_ == 0 || cx + 2 == shape_.nx || cy + 2 == shape_.ny ||
                        cz_ + 2 == shape_.nz;
    if (count == 0 || (count == 8 && !border)) return;  // no surface and no cap in this cell
    cx_ = cx;
    cy_ = cy;
    for (const auto& tet : kTetrahedra) {
      std::array<SimplexVertex, 4> s;
      for (int i = 0; i < 4; ++i) s[i] = cornerVertex(tet[i], in[tet[i]]);
      march(s);
      if (border) capBorderFaces(tet, in);
    }
  }

  SimplexVertex cornerVertex(int corner, bool inside) const {
    return {corner, inside, {2 * bit(corner, 0), 2 * bit(corner, 1), 2 * bit(corner, 2)}};
  }

  // A face of the tetrahedron on the grid's border gets the cap described at the top of this file.
  void capBorderFaces(const int (&tet)[4], const char (&in)[8]) {
    const int cellIndex[3] = {cx_, cy_, cz_};
    const int cellsAlong[3] = {shape_.nx - 1, shape_.ny - 1, shape_.nz - 1};
    for (int omit = 0; omit < 4; ++omit) {
      int face[3], k = 0;
      for (int i = 0; i < 4; ++i)
        if (i != omit) face[k++] = tet[i];
      for (int axis = 0; axis < 3; ++axis) {
        const int side = bit(face[0], axis);
        if (bit(face[1], axis) != side || bit(face[2], axis) != side) continue;
        if (cellIndex[axis] != (side ? cellsAlong[axis] - 1 : 0)) continue;  // an inner face
        std::array<SimplexVertex, 4> s;
        for (int i = 0; i < 3; ++i) s[i] = cornerVertex(face[i], in[face[i]]);
        s[3] = {kVirtual, false, {1, 1, 1}};
        s[3].ref[axis] = side ? 4 : -2;  // beyond the face, outside the box
        march(s);
      }
    }
  }

  // One tetrahedron (or border triangle plus the outside point): a triangle or a quad.
  void march(const std::array<SimplexVertex, 4>& s) {
    int inside[4], outside[4], nIn = 0, nOut = 0;
    for (int i = 0; i < 4; ++i) (s[i].inside ? inside[nIn++] : outside[nOut++]) = i;
    if (nIn == 0 || nOut == 0) return;
    // Orientation: the surface's normal must point from the inside corners to the outside ones.
    long dir[3];
    for (int a = 0; a < 3; ++a) {
      long sumIn = 0, sumOut = 0;
      for (int i = 0; i < nIn; ++i) sumIn += s[inside[i]].ref[a];
      for (int i = 0; i < nOut; ++i) sumOut += s[outside[i]].ref[a];
      dir[a] = nIn * sumOut - nOut * sumIn;
    }
    if (nIn == 1 || nOut == 1) {
      const int lone = nIn == 1 ? inside[0] : outside[0];
      std::pair<int, int> edges[3];
      int k = 0;
      for (int i = 0; i < 4; ++i)
        if (i != lone) edges[k++] = {lone, i};
      emitPolygon(s, edges, 3, dir);
    } else {
      const std::pair<int, int> edges[4] = {
          {inside[0], outside[0]}, {inside[0], outside[1]}, {inside[1], outside[1]}, {inside[1], outside[0]}};
      emitPolygon(s, edges, 4, dir);
    }
  }

  // The crossing's exact reference position (doubled cell coordinates): the edge's midpoint, or
  // the border sample itself on an edge towards the outside point. Only its orientation matters.
  static std::array<long, 3> referencePoint(const std::array<SimplexVertex, 4>& s, std::pair<int, int> e) {
    const SimplexVertex& a = s[e.first];
    const SimplexVertex& b = s[e.second];
    std::array<long, 3> r;
    for (int i = 0; i < 3; ++i) {
      if (a.corner == kVirtual) r[i] = b.ref[i];
      else if (b.corner == kVirtual) r[i] = a.ref[i];
      else r[i] = (a.ref[i] + b.ref[i]) / 2;
    }
    return r;
  }

  void emitPolygon(const std::array<SimplexVertex, 4>& s, const std::pair<int, int>* edges, int count,
                   const long (&dir)[3]) {
    std::uint32_t v[4];
    for (int i = 0; i < count; ++i) v[i] = vertexOn(s[edges[i].first], s[edges[i].second]);
    // The reference polygon (midpoints) is a proper triangle or parallelogram/trapezoid, so the
    // sign below is never zero and does not depend on floating-point rounding.
    const auto r0 = referencePoint(s, edges[0]), r1 = referencePoint(s, edges[1]), r2 = referencePoint(s, edges[2]);
    const long u[3] = {r1[0] - r0[0], r1[1] - r0[1], r1[2] - r0[2]};
    const long w[3] = {r2[0] - r0[0], r2[1] - r0[1], r2[2] - r0[2]};
    const long n[3] = {u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
    if (n[0] * dir[0] + n[1] * dir[1] + n[2] * dir[2] < 0) std::reverse(v, v + count);
    if (count == 3) {
      mesh_.triangles.push_back({v[0], v[1], v[2]});
      return;
    }
    // Split the quad along its shorter diagonal (better-shaped triangles); either is watertight
    // because the diagonal lies inside this tetrahedron and is shared with no other piece.
    auto dist2 = [&](std::uint32_t a, std::uint32_t b) {
      const Vec3d d = toDouble(mesh_.positions[a]) - toDouble(mesh_.positions[b]);
      return dot(d, d);
    };
    if (dist2(v[0], v[2]) <= dist2(v[1], v[3])) {
      mesh_.triangles.push_back({v[0], v[1], v[2]});
      mesh_.triangles.push_back({v[0], v[2], v[3]});
    } else {
      mesh_.triangles.push_back({v[0], v[1], v[3]});
      mesh_.triangles.push_back({v[1], v[2], v[3]});
    }
  }

  // The one vertex of the grid edge a-b (or of a border sample, towards the outside point).
  std::uint32_t vertexOn(const SimplexVertex& a, const SimplexVertex& b) {
    int lower, mask;
    if (a.corner == kVirtual || b.corner == kVirtual) {
      lower = a.corner == kVirtual ? b.corner : a.corner;
      mask = 0;  // slot 0: the sample itself
    } else {
      lower = (a.corner & b.corner) == a.corner ? a.corner : b.corner;
      mask = a.corner ^ b.corner;
    }
    const int gx = cx_ + bit(lower, 0), gy = cy_ + bit(lower, 1), gz = cz_ + bit(lower, 2);
    std::vector<std::uint32_t>& slots = bit(lower, 2) ? highSlots_ : lowSlots_;
    std::uint32_t& slot = slots[(static_cast<std::size_t>(gy) * shape_.nx + gx) * 8 + mask];
    if (slot == kNoVertex) {
      slot = static_cast<std::uint32_t>(mesh_.positions.size());
      if (mask == 0) addCapVertex(gx, gy, gz);
      else addCrossing(lower, mask);
    }
    return slot;
  }

  Vec3d world(double gx, double gy, double gz) const {
    return {shape_.box.min.x + gx * spacing_.x, shape_.box.min.y + gy * spacing_.y,
            shape_.box.min.z + gz * spacing_.z};
  }

  void addCapVertex(int gx, int gy, int gz) {
    mesh_.positions.push_back(toFloat(world(gx, gy, gz)));
    // The cap lies on the box's faces: its normal is theirs (summed at the box's edges and corners).
    auto side = [](int g, int n) { return g == 0 ? -1.0 : (g == n - 1 ? 1.0 : 0.0); };
    const Vec3d n{side(gx, shape_.nx), side(gy, shape_.ny), side(gz, shape_.nz)};
    mesh_.normals.push_back(toFloat((1.0 / length(n)) * n));
  }

  void addCrossing(int lower, int mask) {
    const int upper = lower | mask;
    const double a = window_.value(cx_ + bit(lower, 0), cy_ + bit(lower, 1), cz_ + bit(lower, 2));
    const double b = window_.value(cx_ + bit(upper, 0), cy_ + bit(upper, 1), cz_ + bit(upper, 2));
    double t = (iso_ - a) / (b - a);
    if (!std::isfinite(t)) t = 0.5;  // an infinite or NaN sample: the edge's middle
    t = std::clamp(t, kMinT, 1.0 - kMinT);
    const Vec3d local{bit(lower, 0) + t * bit(mask, 0), bit(lower, 1) + t * bit(mask, 1),
                      bit(lower, 2) + t * bit(mask, 2)};
    mesh_.positions.push_back(toFloat(world(cx_ + local.x, cy_ + local.y, cz_ + local.z)));
    const Vec3d g = gradientAt(local);
    const double len = length(g);
    if (len > 0 && std::isfinite(len)) {
      mesh_.normals.push_back(toFloat((-1.0 / len) * g));  // inside is higher: outward is -gradient
    } else {
      flatVertices_.push_back(static_cast<std::uint32_t>(mesh_.positions.size() - 1));
      mesh_.normals.push_back({0, 0, 0});
    }
  }

  // Central differences at a sample (one-sided on the border), in world units.
  Vec3d sampleGradient(int x, int y, int z) {
    auto diff = [&](int axis, int n, int at, double h) {
      const int lo = std::max(at - 1, 0), hi = std::min(at + 1, n - 1);
      auto v = [&](int i) {
        return axis == 0 ? window_.value(i, y, z) : axis == 1 ? window_.value(x, i, z) : window_.value(x, y, i);
      };
      return (static_cast<double>(v(hi)) - v(lo)) / ((hi - lo) * h);
    };
    return {diff(0, shape_.nx, x, spacing_.x), diff(1, shape_.ny, y, spacing_.y), diff(2, shape_.nz, z, spacing_.z)};
  }

  // The corners' gradients, trilinearly interpolated at `local` (cell coordinates in [0, 1]^3).
  // Continuous across cells, so a vertex shared by two cells gets the same normal from either.
  Vec3d gradientAt(const Vec3d& local) {
    Vec3d g;
    for (int c = 0; c < 8; ++c) {
      const double w = (bit(c, 0) ? local.x : 1 - local.x) * (bit(c, 1) ? local.y : 1 - local.y) *
                       (bit(c, 2) ? local.z : 1 - local.z);
      if (w == 0) continue;
      g = g + w * sampleGradient(cx_ + bit(c, 0), cy_ + bit(c, 1), cz_ + bit(c, 2));
    }
    return g;
  }

  GridShape shape_;
  PlaneWindow& window_;
  float iso_;
  Mesh& mesh_;
  Vec3d spacing_;
  int cx_ = 0, cy_ = 0, cz_ = 0;
  // Vertex of each (grid point, edge direction) with the point in the slab's bottom (low) or top
  // (high) plane; slot 0 is the sample itself (cap vertex), slots 1..7 the edge towards +mask.
  std::vector<std::uint32_t> lowSlots_, highSlots_;
  std::vector<char> lowInside_, highInside_;
  std::vector<std::uint32_t> flatVertices_;
};

void checkShape(const GridShape& shape) {
  if (shape.nx < 2 || shape.ny < 2 || shape.nz < 2)
    throw std::invalid_argument("marching cubes: the grid must have at least 2 samples along each axis, got " +
                                std::to_string(shape.nx) + "x" + std::to_string(shape.ny) + "x" +
                                std::to_string(shape.nz));
  const GridBox& b = shape.box;
  if (!(b.max.x > b.min.x && b.max.y > b.min.y && b.max.z > b.min.z))
    throw std::invalid_argument("marching cubes: the grid's box must have max > min along each axis");
}

std::optional<Mesh> run(const GridShape& shape, PlaneWindow& window, float iso, const MarchingCubesOptions& options) {
  Mesh mesh;
  TetMarcher marcher(shape, window, iso, mesh);
  const int slabs = shape.nz - 1;
  for (int cz = 0; cz < slabs; ++cz) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) return std::nullopt;
    marcher.slab(cz);
    if (options.progress) options.progress(static_cast<double>(cz + 1) / slabs);
  }
  marcher.finishNormals();
  return mesh;
}

}  // namespace

std::optional<Mesh> marchingCubes(const ScalarGridView& grid, float iso, const MarchingCubesOptions& options) {
  checkShape(grid.shape);
  if (!grid.values) throw std::invalid_argument("marching cubes: the grid has no values");
  PlaneWindow window(grid.shape, grid.values, nullptr);
  return run(grid.shape, window, iso, options);
}

std::optional<Mesh> marchingCubes(const GridShape& shape, const PlaneSource& source, float iso,
                                  const MarchingCubesOptions& options) {
  checkShape(shape);
  if (!source) throw std::invalid_argument("marching cubes: no plane source");
  PlaneWindow window(shape, nullptr, &source);
  return run(shape, window, iso, options);
}

}  // namespace fieldscope
