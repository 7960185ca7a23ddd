#include "model/shape_data/winding_number.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <thread>

namespace fieldscope {
namespace {

constexpr double kInv4Pi = 1.0 / (4 * std::numbers::pi);

// Signed solid angle of triangle abc seen from q, over 4 pi (Van Oosterom and Strackee 1983):
// positive when q is behind the triangle's counter-clockwise (outward) face.
double triangleWinding(const Vec3d& A, const Vec3d& B, const Vec3d& C, const Vec3d& q) {
  const Vec3d a = A - q, b = B - q, c = C - q;
  const double la = length(a), lb = length(b), lc = length(c);
  const double numerator = dot(a, cross(b, c));
  const double denominator = la * lb * lc + dot(a, b) * lc + dot(b, c) * la + dot(c, a) * lb;
  return 2 * std::atan2(numerator, denominator) * kInv4Pi;
}

// The third Taylor term (times 4 pi): 1/2 sum_jkl d2F_j/dr_k dr_l Q_jkl with
// 4 pi d2F_j/dr_k dr_l = -3 (delta_jk r_l + delta_jl r_k + delta_kl r_j) / |r|^5 + 15 r_j r_k r_l / |r|^7
// and Q symmetric in k, l (stored xx yy zz xy xz yz per j).
double secondOrderTerm(const double* q, const Vec3d& r, double inv5, double inv7) {
  const double rv[3] = {r.x, r.y, r.z};
  double a = 0, b = 0, c = 0;  // sum_j (Q_j r)_j, sum_j r_j tr(Q_j), sum_j r_j r^T Q_j r
  for (int j = 0; j < 3; ++j) {
    const double* qj = q + 6 * j;
    const double row[3][3] = {{qj[0], qj[3], qj[4]}, {qj[3], qj[1], qj[5]}, {qj[4], qj[5], qj[2]}};
    const double qr[3] = {row[0][0] * r.x + row[0][1] * r.y + row[0][2] * r.z, row[1][0] * r.x + row[1][1] * r.y + row[1][2] * r.z,
                          row[2][0] * r.x + row[2][1] * r.y + row[2][2] * r.z};
    a += qr[j];
    b += rv[j] * (qj[0] + qj[1] + qj[2]);
    c += rv[j] * (r.x * qr[0] + r.y * qr[1] + r.z * qr[2]);
  }
  return 0.5 * (-3 * (2 * a + b) * inv5 + 15 * c * inv7);
}

}  // namespace

WindingNumber::WindingNumber(const Mesh& mesh, WindingNumberOptions options) : options_(options) {
  if (mesh.triangles.empty()) throw std::invalid_argument("winding number: the mesh has no triangles");
  if (options_.leafSize < 1 || !(options_.beta > 1) || options_.order < 1 || options_.order > 3)
    throw std::invalid_argument("winding number: leafSize must be >= 1, beta > 1 and order 1, 2 or 3");
  triangles_.reserve(mesh.triangles.size());
  std::vector<Vec3d> centroids;
  centroids.reserve(mesh.triangles.size());
  for (const auto& t : mesh.triangles) {
    for (std::uint32_t v : t)
      if (v >= mesh.positions.size())
        throw std::invalid_argument("winding number: a triangle uses vertex " + std::to_string(v) + " of " +
                                    std::to_string(mesh.positions.size()));
    Triangle tri{toDouble(mesh.positions[t[0]]), toDouble(mesh.positions[t[1]]), toDouble(mesh.positions[t[2]])};
    centroids.push_back((1.0 / 3) * (tri.a + tri.b + tri.c));
    triangles_.push_back(tri);
  }
  nodes_.reserve(2 * triangles_.size() / static_cast<std::size_t>(options_.leafSize) + 1);
  build(0, static_cast<std::uint32_t>(triangles_.size()), centroids);
}

// Median split along the longest side of the centroids' box; triangles_ and centroids are
// reordered together so every node owns a contiguous range.
int WindingNumber::build(std::uint32_t begin, std::uint32_t end, std::vector<Vec3d>& centroids) {
  const int index = static_cast<int>(nodes_.size());
  nodes_.emplace_back();
  if (end - begin > static_cast<std::uint32_t>(options_.leafSize)) {
    Vec3d lo = centroids[begin], hi = lo;
    for (std::uint32_t i = begin; i < end; ++i) {
      const Vec3d& c = centroids[i];
      lo = {std::min(lo.x, c.x), std::min(lo.y, c.y), std::min(lo.z, c.z)};
      hi = {std::max(hi.x, c.x), std::max(hi.y, c.y), std::max(hi.z, c.z)};
    }
    const Vec3d extent = hi - lo;
    const int axis = extent.x >= extent.y && extent.x >= extent.z ? 0 : (extent.y >= extent.z ? 1 : 2);
    const auto key = [axis](const Vec3d& v) { return axis == 0 ? v.x : (axis == 1 ? v.y : v.z); };
    const std::uint32_t mid = begin + (end - begin) / 2;
    std::vector<std::uint32_t> order(end - begin);
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = begin + i;
    std::nth_element(order.begin(), order.begin() + (mid - begin), order.end(),
                     [&](std::uint32_t x, std::uint32_t y) { return key(centroids[x]) < key(centroids[y]); });
    std::vector<Triangle> t(order.size());
    std::vector<Vec3d> c(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) t[i] = triangles_[order[i]], c[i] = centroids[order[i]];
    std::copy(t.begin(), t.end(), triangles_.begin() + begin);
    std::copy(c.begin(), c.end(), centroids.begin() + begin);
    const int left = build(begin, mid, centroids);
    const int right = build(mid, end, centroids);
    nodes_[static_cast<std::size_t>(index)].left = left;
    nodes_[static_cast<std::size_t>(index)].right = right;
  }

  // The expansion about the area centroid (the mean centroid when every triangle is degenerate).
  Node& node = nodes_[static_cast<std::size_t>(index)];
  node.begin = begin, node.end = end;
  double area = 0;
  Vec3d weighted, mean;
  double s[9] = {};  // sum of area * n (x) centroid
  for (std::uint32_t i = begin; i < end; ++i) {
    const Triangle& t = triangles_[i];
    const Vec3d an = 0.5 * cross(t.b - t.a, t.c - t.a);  // area * unit normal
    const double a = length(an);
    const Vec3d& c = centroids[i];
    area += a;
    weighted = weighted + a * c;
    mean = mean + c;
    node.dipole = node.dipole + an;
    const double n[3] = {an.x, an.y, an.z}, p[3] = {c.x, c.y, c.z};
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) s[3 * j + k] += n[j] * p[k];
  }
  node.centre = area > 0 ? (1.0 / area) * weighted : (1.0 / (end - begin)) * mean;
  const double n[3] = {node.dipole.x, node.dipole.y, node.dipole.z};
  const double p[3] = {node.centre.x, node.centre.y, node.centre.z};
  for (int j = 0; j < 3; ++j)
    for (int k = 0; k < 3; ++k) node.moment[3 * j + k] = s[3 * j + k] - n[j] * p[k];  // about the centre
  // Radius and second moments, with the vertices relative to the centre. Over a triangle,
  // integral of x x^T dA = area / 12 * (sum_i v_i v_i^T + s s^T), s = v_0 + v_1 + v_2.
  for (std::uint32_t i = begin; i < end; ++i) {
    const Triangle& t = triangles_[i];
    const Vec3d v[3] = {t.a - node.centre, t.b - node.centre, t.c - node.centre};
    for (const Vec3d& c : v) node.radius = std::max(node.radius, length(c));
    const Vec3d an = 0.5 * cross(t.b - t.a, t.c - t.a);
    const Vec3d sum = v[0] + v[1] + v[2];
    double m[6] = {sum.x * sum.x, sum.y * sum.y, sum.z * sum.z, sum.x * sum.y, sum.x * sum.z, sum.y * sum.z};
    for (const Vec3d& c : v) {
      m[0] += c.x * c.x, m[1] += c.y * c.y, m[2] += c.z * c.z;
      m[3] += c.x * c.y, m[4] += c.x * c.z, m[5] += c.y * c.z;
    }
    const double normal[3] = {an.x, an.y, an.z};  // area * unit normal: the area / 12 factor is this / 12
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 6; ++k) node.second[6 * j + k] += normal[j] * m[k] / 12;
  }
  return index;
}

double WindingNumber::at(const Vec3d& q, double beta) const {
  double w = 0;
  int stack[128];
  int top = 0;
  stack[top++] = 0;
  const double beta2 = beta * beta;
  while (top > 0) {
    const Node& node = nodes_[static_cast<std::size_t>(stack[--top])];
    const Vec3d r = node.centre - q;
    const double d2 = dot(r, r);
    if (d2 > beta2 * node.radius * node.radius) {
      // Far: w ~ N . F(r) + sum_jk M_jk dF_j/dr_k, with F(r) = r / (4 pi |r|^3) and
      // dF_j/dr_k = (delta_jk / |r|^3 - 3 r_j r_k / |r|^5) / (4 pi).
      const double inv = 1 / std::sqrt(d2), inv3 = inv * inv * inv, inv5 = inv3 * inv * inv, inv7 = inv5 * inv * inv;
      double sum = dot(node.dipole, r) * inv3;
      if (options_.order >= 2) {
        const double* m = node.moment;
        const double rMr = r.x * (m[0] * r.x + m[1] * r.y + m[2] * r.z) + r.y * (m[3] * r.x + m[4] * r.y + m[5] * r.z) +
                           r.z * (m[6] * r.x + m[7] * r.y + m[8] * r.z);
        sum += (m[0] + m[4] + m[8]) * inv3 - 3 * rMr * inv5;
      }
      if (options_.order >= 3) sum += secondOrderTerm(node.second, r, inv5, inv7);
      w += sum * kInv4Pi;
    } else if (node.left < 0) {
      for (std::uint32_t i = node.begin; i < node.end; ++i) {
        const Triangle& t = triangles_[i];
        w += triangleWinding(t.a, t.b, t.c, q);
      }
    } else {
      stack[top++] = node.left;  // depth is ~log2(triangles / leafSize): far below 64
      stack[top++] = node.right;
    }
  }
  return w;
}

namespace {
// Runs body(i) for i in [0, n) on up to `threads` threads (contiguous ranges); false when cancelled.
template <class Body>
bool parallelFor(std::size_t n, int threads, const std::atomic<bool>* cancel, const Body& body) {
  std::atomic<bool> cancelled{false};
  const auto run = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if ((i & 1023) == 0 && cancel && cancel->load()) {
        cancelled = true;
        return;
      }
      body(i);
    }
  };
  const std::size_t workers = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), 1, std::max<std::size_t>(n / 256, 1));
  if (workers == 1) {
    run(0, n);
  } else {
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < workers; ++t) pool.emplace_back(run, n * t / workers, n * (t + 1) / workers);
    for (std::thread& t : pool) t.join();
  }
  return !cancelled;
}
}  // namespace

bool WindingNumber::evaluate(std::span<const float> xyz, std::span<float> out, int threads,
                             const std::atomic<bool>* cancel, double beta) const {
  const std::size_t n = xyz.size() / 3;
  if (xyz.size() % 3 != 0 || out.size() != n)
    throw std::invalid_argument("winding number: need 3 coordinates per point and one output per point");
  const double b = beta > 0 ? beta : options_.beta;
  return parallelFor(n, threads, cancel,
                     [&](std::size_t i) { out[i] = static_cast<float>(at({xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]}, b)); });
}

bool WindingNumber::classify(std::span<const float> xyz, std::span<std::uint8_t> labels, int threads,
                             const std::atomic<bool>* cancel) const {
  const std::size_t n = xyz.size() / 3;
  if (xyz.size() % 3 != 0 || labels.size() != n)
    throw std::invalid_argument("winding number: need 3 coordinates per point and one label per point");
  const double quick = std::min(kQuickBeta, options_.beta);
  return parallelFor(n, threads, cancel, [&](std::size_t i) {
    const Vec3d q{xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]};
    double w = at(q, quick);
    if (std::abs(w - 0.5) < kRecheckBand) w = at(q, options_.beta);
    labels[i] = w > 0.5 ? 1 : 0;
  });
}

double windingNumberBruteForce(const Mesh& mesh, const Vec3d& q) {
  double w = 0;
  for (const auto& t : mesh.triangles)
    w += triangleWinding(toDouble(mesh.positions[t[0]]), toDouble(mesh.positions[t[1]]), toDouble(mesh.positions[t[2]]), q);
  return w;
}

}  // namespace fieldscope
