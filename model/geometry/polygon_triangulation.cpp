#include "model/geometry/polygon_triangulation.h"

#include <cmath>

namespace fieldscope {
namespace {

// Ear clipping is O(n^2); past this a fan is used (such polygons are rare and usually convex caps).
constexpr std::size_t kMaxEarClipping = 512;

struct Point2 {
  double x, y;
};

double cross2(const Point2& o, const Point2& a, const Point2& b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

bool insideTriangle(const Point2& p, const Point2& a, const Point2& b, const Point2& c) {
  return cross2(a, b, p) >= 0 && cross2(b, c, p) >= 0 && cross2(c, a, p) >= 0;
}

void fan(std::span<const std::uint32_t> loop, std::vector<std::array<std::uint32_t, 3>>& out) {
  for (std::size_t i = 1; i + 1 < loop.size(); ++i) out.push_back({loop[0], loop[i], loop[i + 1]});
}

}  // namespace

void triangulatePolygon(std::span<const std::uint32_t> loop, const std::vector<Vec3f>& positions,
                        std::vector<std::array<std::uint32_t, 3>>& out) {
  const std::size_t n = loop.size();
  if (n < 3) return;
  if (n == 3) {
    out.push_back({loop[0], loop[1], loop[2]});
    return;
  }
  auto p = [&](std::size_t i) { return toDouble(positions[loop[i]]); };
  if (n == 4) {
    const Vec3d d02 = p(2) - p(0), d13 = p(3) - p(1);
    if (dot(d02, d02) <= dot(d13, d13)) {
      out.push_back({loop[0], loop[1], loop[2]});
      out.push_back({loop[0], loop[2], loop[3]});
    } else {
      out.push_back({loop[0], loop[1], loop[3]});
      out.push_back({loop[1], loop[2], loop[3]});
    }
    return;
  }
  if (n > kMaxEarClipping) return fan(loop, out);
  // Newell's normal gives the best-fit plane; project onto it so that the loop is counter-clockwise.
  Vec3d normal;
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3d a = p(i), b = p((i + 1) % n);
    normal = normal + Vec3d{(a.y - b.y) * (a.z + b.z), (a.z - b.z) * (a.x + b.x), (a.x - b.x) * (a.y + b.y)};
  }
  const double len = length(normal);
  if (!(len > 0)) return fan(loop, out);
  normal = (1.0 / len) * normal;
  const Vec3d helper = std::abs(normal.x) < 0.9 ? Vec3d{1, 0, 0} : Vec3d{0, 1, 0};
  const Vec3d u = cross(helper, normal);
  const Vec3d v = cross(normal, u);
  std::vector<Point2> q(n);
  for (std::size_t i = 0; i < n; ++i) q[i] = {dot(p(i), u), dot(p(i), v)};
  std::vector<std::size_t> remaining(n);
  for (std::size_t i = 0; i < n; ++i) remaining[i] = i;
  std::vector<std::array<std::uint32_t, 3>> ears;
  while (remaining.size() > 3) {
    bool clipped = false;
    const std::size_t m = remaining.size();
    for (std::size_t k = 0; k < m && !clipped; ++k) {
      const std::size_t a = remaining[(k + m - 1) % m], b = remaining[k], c = remaining[(k + 1) % m];
      if (cross2(q[a], q[b], q[c]) <= 0) continue;  // reflex or flat corner: not an ear
      bool empty = true;
      for (std::size_t j : remaining)
        if (j != a && j != b && j != c && insideTriangle(q[j], q[a], q[b], q[c])) {
          empty = false;
          break;
        }
      if (!empty) continue;
      ears.push_back({loop[a], loop[b], loop[c]});
      remaining.erase(remaining.begin() + static_cast<std::ptrdiff_t>(k));
      clipped = true;
    }
    if (!clipped) return fan(loop, out);  // not a simple polygon: no ear left
  }
  ears.push_back({loop[remaining[0]], loop[remaining[1]], loop[remaining[2]]});
  out.insert(out.end(), ears.begin(), ears.end());
}

}  // namespace fieldscope
