#include "model/scene_data/ray_caster.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fieldscope {
namespace {

constexpr double kMinT = 1e-9;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Smallest root of a t^2 + 2 b t + c = 0 above kMinT (both roots tried).
bool smallestRoot(double a, double b, double c, double& t) {
  const double disc = b * b - a * c;
  if (disc < 0 || a <= 0) return false;
  const double s = std::sqrt(disc);
  const double t0 = (-b - s) / a, t1 = (-b + s) / a;
  if (t0 > kMinT) return t = t0, true;
  if (t1 > kMinT) return t = t1, true;
  return false;
}

bool sphere(const Vec3& o, const Vec3& d, double r, double& t, Vec3& n) {
  if (!smallestRoot(dot(d, d), dot(o, d), dot(o, o) - r * r, t)) return false;
  n = normalize(o + t * d);
  return true;
}

// Slabs: the entering face gives the normal.
bool box(const Vec3& o, const Vec3& d, const Vec3& h, double& t, Vec3& n) {
  const double oc[3] = {o.x, o.y, o.z}, dc[3] = {d.x, d.y, d.z}, hc[3] = {h.x, h.y, h.z};
  double tNear = -kInf, tFar = kInf;
  int axisNear = 0, axisFar = 0;
  for (int i = 0; i < 3; ++i) {
    if (std::abs(dc[i]) < 1e-300) {
      if (std::abs(oc[i]) > hc[i]) return false;
      continue;
    }
    double t0 = (-hc[i] - oc[i]) / dc[i], t1 = (hc[i] - oc[i]) / dc[i];
    if (t0 > t1) std::swap(t0, t1);
    if (t0 > tNear) tNear = t0, axisNear = i;
    if (t1 < tFar) tFar = t1, axisFar = i;
  }
  if (tNear > tFar || tFar <= kMinT) return false;
  const int axis = tNear > kMinT ? axisNear : axisFar;
  t = tNear > kMinT ? tNear : tFar;
  const double p[3] = {o.x + t * d.x, o.y + t * d.y, o.z + t * d.z};
  double nc[3] = {0, 0, 0};
  nc[axis] = p[axis] > 0 ? 1 : -1;
  n = {nc[0], nc[1], nc[2]};
  return true;
}

// Capped cylinder about z: the side (a quadratic in x, y) and the two caps.
bool cylinder(const Vec3& o, const Vec3& d, double r, double h, double& t, Vec3& n) {
  double best = kInf;
  double ts = 0;
  const double a = d.x * d.x + d.y * d.y, b = o.x * d.x + o.y * d.y, c = o.x * o.x + o.y * o.y - r * r;
  const double disc = b * b - a * c;
  if (a > 1e-300 && disc >= 0) {
    const double s = std::sqrt(disc);
    for (const double cand : {(-b - s) / a, (-b + s) / a})
      if (cand > kMinT && cand < best && std::abs(o.z + cand * d.z) <= h) {
        best = cand;
        n = normalize(Vec3{o.x + cand * d.x, o.y + cand * d.y, 0});
      }
  }
  if (std::abs(d.z) > 1e-300)
    for (const double zc : {-h, h}) {
      ts = (zc - o.z) / d.z;
      const double x = o.x + ts * d.x, y = o.y + ts * d.y;
      if (ts > kMinT && ts < best && x * x + y * y <= r * r) {
        best = ts;
        n = {0, 0, zc > 0 ? 1.0 : -1.0};
      }
    }
  if (best == kInf) return false;
  t = best;
  return true;
}

double torusDistance(const Vec3& p, double big, double small) {
  const double q = std::sqrt(p.x * p.x + p.y * p.y) - big;
  return std::sqrt(q * q + p.z * p.z) - small;
}

// Sphere tracing from where the ray enters the bounding sphere; the distance is exact, so the
// steps never overshoot. The normal is the distance's gradient.
bool torus(const Vec3& o, const Vec3& d, double big, double small, double& t, Vec3& n) {
  const double bound = big + small;
  double b = dot(o, d), c = dot(o, o) - bound * bound;
  const double disc = b * b - c;
  if (disc < 0) return false;
  const double s = std::sqrt(disc);
  const double tExit = -b + s;
  if (tExit <= kMinT) return false;
  double tt = std::max(kMinT, -b - s);
  const double eps = 1e-6 * bound;
  for (int step = 0; step < 256 && tt <= tExit; ++step) {
    const Vec3 p = o + tt * d;
    const double dist = torusDistance(p, big, small);
    if (dist < eps) {
      const double rho = std::sqrt(p.x * p.x + p.y * p.y);
      const Vec3 ring = rho > 1e-12 ? Vec3{p.x * big / rho, p.y * big / rho, 0} : Vec3{big, 0, 0};
      n = normalize(p - ring);
      t = tt;
      return true;
    }
    tt += dist;
  }
  return false;
}

}  // namespace

double boundingRadius(const Primitive& p) {
  switch (p.kind) {
    case PrimitiveKind::Sphere: return p.size.x;
    case PrimitiveKind::Box: return length(p.size);
    case PrimitiveKind::Cylinder: return std::sqrt(p.size.x * p.size.x + p.size.y * p.size.y);
    case PrimitiveKind::Torus: return p.size.x + p.size.y;
  }
  return 0;
}

bool intersect(const Primitive& p, const Ray& ray, Hit& hit) {
  const Vec3 o = transposeTimes(p.rotation, ray.origin - p.centre);
  const Vec3 d = transposeTimes(p.rotation, ray.direction);
  Vec3 n;
  double t = 0;
  bool found = false;
  switch (p.kind) {
    case PrimitiveKind::Sphere: found = sphere(o, d, p.size.x, t, n); break;
    case PrimitiveKind::Box: found = box(o, d, p.size, t, n); break;
    case PrimitiveKind::Cylinder: found = cylinder(o, d, p.size.x, p.size.y, t, n); break;
    case PrimitiveKind::Torus: found = torus(o, d, p.size.x, p.size.y, t, n); break;
  }
  if (!found) return false;
  hit.t = t;
  hit.normal = p.rotation * n;
  return true;
}

}  // namespace fieldscope
