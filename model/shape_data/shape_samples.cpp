#include "model/shape_data/shape_samples.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include "model/shape_data/shape_random.h"
#include "model/shape_data/winding_number.h"

namespace fieldscope {
namespace {

// Area-weighted points on a mesh: a triangle by binary search on the cumulative areas, a point in
// it by the square-root map of two uniforms (uniform over the triangle).
class SurfaceSampler {
 public:
  explicit SurfaceSampler(const Mesh& mesh) : mesh_(mesh) {
    cumulative_.reserve(mesh.triangles.size());
    double total = 0;
    for (const auto& t : mesh.triangles) {
      total += 0.5 * length(cross(corner(t, 1) - corner(t, 0), corner(t, 2) - corner(t, 0)));
      cumulative_.push_back(total);
    }
    if (!(total > 0) || !std::isfinite(total)) throw std::runtime_error("the mesh has no surface area to sample");
  }

  // A point and its unit normal (from the vertex normals when the mesh has them, else the face's);
  // `size`, when asked for, gets the triangle's longest edge.
  void sample(ShapeRandom& random, Vec3d& point, Vec3d& normal, double* size = nullptr) const {
    const double target = random.uniform() * cumulative_.back();
    const std::size_t i = std::min<std::size_t>(
        static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), target) - cumulative_.begin()),
        cumulative_.size() - 1);
    const auto& t = mesh_.triangles[i];
    const double su = std::sqrt(random.uniform()), v = random.uniform();
    const double w0 = 1 - su, w1 = su * (1 - v), w2 = su * v;
    point = w0 * corner(t, 0) + w1 * corner(t, 1) + w2 * corner(t, 2);
    const Vec3d face = cross(corner(t, 1) - corner(t, 0), corner(t, 2) - corner(t, 0));
    normal = face;
    if (!mesh_.normals.empty()) {
      const Vec3d n = w0 * toDouble(mesh_.normals[t[0]]) + w1 * toDouble(mesh_.normals[t[1]]) + w2 * toDouble(mesh_.normals[t[2]]);
      if (length(n) > 1e-6) normal = n;
    }
    normal = (1.0 / length(normal)) * normal;  // the face has area (it was drawn by area)
    if (size)
      *size = std::max({length(corner(t, 1) - corner(t, 0)), length(corner(t, 2) - corner(t, 1)), length(corner(t, 0) - corner(t, 2))});
  }

 private:
  Vec3d corner(const std::array<std::uint32_t, 3>& t, int k) const { return toDouble(mesh_.positions[t[k]]); }
  const Mesh& mesh_;
  std::vector<double> cumulative_;
};

// Marching cubes cuts the solid's sharp edges and flattens curved parts between samples (up to
// ~0.004 off at 128^3, normals off by more than 25 degrees at ~2% of the points, nearly all on
// creases). The solid is exact, so a point drawn on the mesh is moved onto its zero set by Newton
// steps along the distance's gradient (the distance is 1-Lipschitz and exact near most of the
// surface) and takes the gradient there as its normal. Where that does not converge close by (a
// crease's corner), the mesh's point and normal stay.
void projectOntoSolid(const Solid& solid, Vec3d& point, Vec3d& normal) {
  Vec3d p = point;
  for (int i = 0; i < 4; ++i) {
    const double d = solid.distance(p);
    if (std::abs(d) < 1e-7) break;
    const Vec3d g = solid.gradient(p);
    const double g2 = dot(g, g);
    if (!(g2 > 0.25)) return;  // a flat spot of the field: keep the mesh's sample
    p = p - (d / g2) * g;
  }
  const Vec3d g = solid.gradient(p);
  if (!(std::abs(solid.distance(p)) < 1e-5) || !(length(p - point) < 0.02) || !(dot(g, g) > 0.25)) return;
  point = p;
  normal = (1.0 / length(g)) * g;
}

void put(std::vector<float>& out, std::size_t i, const Vec3d& v) {
  out[3 * i] = static_cast<float>(v.x), out[3 * i + 1] = static_cast<float>(v.y), out[3 * i + 2] = static_cast<float>(v.z);
}

// Turns surface normals so they point out of the solid: optional step for the user's meshes.
// `sizes`: the longest edge of each point's triangle.
using OrientNormals =
    std::function<bool(const std::vector<float>& points, const std::vector<double>& sizes, std::vector<float>& normals)>;
// Moves a point drawn on the mesh onto the exact surface and gives its exact normal: optional
// step for procedural shapes.
using RefineSurface = std::function<void(Vec3d& point, Vec3d& normal)>;

std::optional<ShapeRecord> sample(const Mesh& mesh, const InsideTest& inside, const ShapeSampleOptions& o,
                                  std::uint64_t seed, const OrientNormals& orient, const RefineSurface& refine) {
  if (o.surfacePoints < 1 || o.queryPoints < 1)
    throw std::invalid_argument("shape samples: need at least one surface and one query point");
  const SurfaceSampler surface(mesh);
  ShapeRandom random(seed);
  ShapeRecord r;
  const auto ns = static_cast<std::size_t>(o.surfacePoints), nq = static_cast<std::size_t>(o.queryPoints);
  r.surface.resize(3 * ns);
  r.normals.resize(3 * ns);
  Vec3d p, n;
  std::vector<double> sizes(orient ? ns : 0);
  for (std::size_t i = 0; i < ns; ++i) {
    surface.sample(random, p, n, orient ? &sizes[i] : nullptr);
    if (refine) refine(p, n);
    put(r.surface, i, p);
    put(r.normals, i, n);
  }
  if (orient && !orient(r.surface, sizes, r.normals)) return std::nullopt;

  const auto uniform = static_cast<std::size_t>(std::llround(o.uniformFraction * static_cast<double>(nq)));
  const std::size_t near = nq - std::min(uniform, nq);
  const auto fine = static_cast<std::size_t>(std::llround(o.fineFraction * static_cast<double>(near)));
  r.queries.resize(3 * nq);
  std::size_t k = 0;
  for (; k < nq - near; ++k)
    put(r.queries, k, {random.uniform(-o.bound, o.bound), random.uniform(-o.bound, o.bound), random.uniform(-o.bound, o.bound)});
  for (std::size_t j = 0; j < near; ++j, ++k) {
    surface.sample(random, p, n);
    if (refine) refine(p, n);
    const double s = j < fine ? o.fineSigma : o.sigma;
    put(r.queries, k, p + s * Vec3d{random.normal(), random.normal(), random.normal()});
  }
  // Shuffled (Fisher-Yates), so that any prefix is a fair mix of the kinds.
  for (std::size_t i = nq - 1; i > 0; --i) {
    const std::size_t j = static_cast<std::size_t>(random.bits() % (i + 1));
    for (int c = 0; c < 3; ++c) std::swap(r.queries[3 * i + c], r.queries[3 * j + c]);
  }
  r.labels.resize(nq);
  if (!inside(r.queries, r.labels)) return std::nullopt;
  return r;
}

}  // namespace

bool turnOutward(Mesh& mesh) {
  double volume = 0;  // 6x the signed volume, by the divergence theorem
  for (const auto& t : mesh.triangles)
    volume += dot(toDouble(mesh.positions[t[0]]), cross(toDouble(mesh.positions[t[1]]), toDouble(mesh.positions[t[2]])));
  if (!(volume < 0)) return false;
  for (auto& t : mesh.triangles) std::swap(t[1], t[2]);
  for (Vec3f& n : mesh.normals) n = {-n.x, -n.y, -n.z};
  return true;
}

std::optional<ShapeRecord> sampleShape(const Mesh& mesh, const InsideTest& inside, const ShapeSampleOptions& options,
                                       std::uint64_t seed) {
  return sample(mesh, inside, options, seed, nullptr, nullptr);
}

std::optional<ShapeRecord> sampleSolidShape(const Mesh& mesh, const Solid& solid, const ShapeSampleOptions& options,
                                            std::uint64_t seed) {
  const InsideTest inside = [&](std::span<const float> xyz, std::span<std::uint8_t> labels) {
    for (std::size_t i = 0; i < labels.size(); ++i)
      labels[i] = solid.inside({xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]}) ? 1 : 0;
    return true;
  };
  return sample(mesh, inside, options, seed, nullptr, [&](Vec3d& p, Vec3d& n) { projectOntoSolid(solid, p, n); });
}

std::optional<ShapeRecord> sampleMeshShape(const Mesh& original, const ShapeSampleOptions& options, std::uint64_t seed) {
  Mesh turned;
  const Mesh* mesh = &original;
  Mesh copy = original;
  if (turnOutward(copy)) mesh = &(turned = std::move(copy));
  const WindingNumber winding(*mesh);

  const InsideTest inside = [&](std::span<const float> xyz, std::span<std::uint8_t> labels) {
    if (!winding.classify(xyz, labels, options.threads, options.cancel)) return false;
    std::size_t in = 0;
    for (std::uint8_t l : labels) in += l;
    if (in == 0) throw std::runtime_error("no query point is inside (winding number > 0.5): the mesh encloses no volume");
    return true;
  };
  // A triangle facing the wrong way among the mesh's others: the normal should point to the side of
  // lower winding number. Right at the triangle, w jumps by exactly 1 along the triangle's own
  // normal, whichever way it faces, so the probes go two triangle sizes out (at least 0.01), where
  // the neighbourhood decides; the normal is turned only on a clear difference (a part thinner
  // than the step leaves both probes outside and the face's own orientation stands).
  const OrientNormals orient = [&](const std::vector<float>& points, const std::vector<double>& sizes,
                                   std::vector<float>& normals) {
    const std::size_t n = points.size() / 3;
    std::vector<float> probes(6 * n);
    for (std::size_t i = 0; i < 3 * n; ++i) {
      const float step = static_cast<float>(std::max(0.01, 2 * sizes[i / 3]));
      probes[i] = points[i] + step * normals[i];
      probes[3 * n + i] = points[i] - step * normals[i];
    }
    std::vector<float> w(2 * n);  // the quick expansion: its ~1e-2 error is far below the 0.25 asked for
    if (!winding.evaluate(probes, w, options.threads, options.cancel, WindingNumber::kQuickBeta)) return false;
    for (std::size_t i = 0; i < n; ++i)
      if (w[i] - w[n + i] > 0.25f)
        for (int c = 0; c < 3; ++c) normals[3 * i + c] = -normals[3 * i + c];
    return true;
  };
  return sample(*mesh, inside, options, seed, orient, nullptr);
}

}  // namespace fieldscope
