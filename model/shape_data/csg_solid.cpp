#include "model/shape_data/csg_solid.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace fieldscope {

// One node of the tree. Primitives use a..d for their sizes; a placement maps its child's frame
// to the parent's: x_parent = scale * rotation * x_child + translation (rotation row-major).
struct Solid::Node {
  enum class Kind { Box, Sphere, Cylinder, Torus, Capsule, Cone, Placement, Union, Intersection, Difference };
  Kind kind = Kind::Sphere;
  double a = 0, b = 0, c = 0, d = 0;
  std::array<double, 9> rotation{1, 0, 0, 0, 1, 0, 0, 0, 1};
  Vec3d translation;
  double scale = 1;
  std::shared_ptr<const Node> left, right;
};

namespace {
using Node = Solid::Node;
using Kind = Node::Kind;

double length2(double x, double y) { return std::sqrt(x * x + y * y); }

Vec3d rotate(const std::array<double, 9>& r, const Vec3d& v) {
  return {r[0] * v.x + r[1] * v.y + r[2] * v.z, r[3] * v.x + r[4] * v.y + r[5] * v.z,
          r[6] * v.x + r[7] * v.y + r[8] * v.z};
}
Vec3d rotateBack(const std::array<double, 9>& r, const Vec3d& v) {  // by the transpose (= inverse)
  return {r[0] * v.x + r[3] * v.y + r[6] * v.z, r[1] * v.x + r[4] * v.y + r[7] * v.z,
          r[2] * v.x + r[5] * v.y + r[8] * v.z};
}
std::array<double, 9> multiply(const std::array<double, 9>& p, const std::array<double, 9>& q) {
  std::array<double, 9> m{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) m[3 * i + j] = p[3 * i] * q[j] + p[3 * i + 1] * q[3 + j] + p[3 * i + 2] * q[6 + j];
  return m;
}

// The signed distances of the primitives in their own frame (after Inigo Quilez's well-known
// formulas). Each one's sign is the exact inside test of the primitive.
double boxDistance(const Node& n, const Vec3d& p) {
  const double r = n.d;  // rounding: a box shrunk by r, then inflated by r
  const double qx = std::abs(p.x) - n.a + r, qy = std::abs(p.y) - n.b + r, qz = std::abs(p.z) - n.c + r;
  const Vec3d outside{std::max(qx, 0.0), std::max(qy, 0.0), std::max(qz, 0.0)};
  return length(outside) + std::min(std::max(qx, std::max(qy, qz)), 0.0) - r;
}

double cylinderDistance(const Node& n, const Vec3d& p) {
  const double dx = length2(p.x, p.z) - n.a, dy = std::abs(p.y) - n.b;
  return std::min(std::max(dx, dy), 0.0) + length2(std::max(dx, 0.0), std::max(dy, 0.0));
}

double torusDistance(const Node& n, const Vec3d& p) { return length2(length2(p.x, p.z) - n.a, p.y) - n.b; }

double capsuleDistance(const Node& n, const Vec3d& p) {
  const Vec3d q{p.x, p.y - std::clamp(p.y, -n.b, n.b), p.z};
  return length(q) - n.a;
}

// Frustum: radius n.a at y = -h, n.b at y = +h, h = n.c. The distance is the nearer of the caps
// and the slanted side; its sign comes from the direct test (|y| < h and inside the side).
double coneDistance(const Node& n, const Vec3d& p) {
  const double r1 = n.a, r2 = n.b, h = n.c;
  const double qx = length2(p.x, p.z), qy = p.y;
  const double cax = qx - std::min(qx, qy < 0 ? r1 : r2), cay = std::abs(qy) - h;
  const double k1x = r2, k1y = h, k2x = r2 - r1, k2y = 2 * h;
  const double t = std::clamp(((k1x - qx) * k2x + (k1y - qy) * k2y) / (k2x * k2x + k2y * k2y), 0.0, 1.0);
  const double cbx = qx - k1x + k2x * t, cby = qy - k1y + k2y * t;
  const double magnitude = std::sqrt(std::min(cax * cax + cay * cay, cbx * cbx + cby * cby));
  const double radiusHere = r1 + (r2 - r1) * (qy + h) / (2 * h);
  const bool in = std::abs(qy) < h && qx < radiusHere;
  return in ? -magnitude : magnitude;
}

double evaluate(const Node& n, const Vec3d& p) {
  switch (n.kind) {
    case Kind::Box: return boxDistance(n, p);
    case Kind::Sphere: return length(p) - n.a;
    case Kind::Cylinder: return cylinderDistance(n, p);
    case Kind::Torus: return torusDistance(n, p);
    case Kind::Capsule: return capsuleDistance(n, p);
    case Kind::Cone: return coneDistance(n, p);
    case Kind::Placement: {
      // Rigid motions keep distances; a uniform scale multiplies them.
      const Vec3d local = (1.0 / n.scale) * rotateBack(n.rotation, p - n.translation);
      return n.scale * evaluate(*n.left, local);
    }
    case Kind::Union: return std::min(evaluate(*n.left, p), evaluate(*n.right, p));
    case Kind::Intersection: return std::max(evaluate(*n.left, p), evaluate(*n.right, p));
    case Kind::Difference: return std::max(evaluate(*n.left, p), -evaluate(*n.right, p));
  }
  return 0;
}

Bounds3 boundsOf(const Node& n) {
  auto symmetric = [](double x, double y, double z) { return Bounds3{{-x, -y, -z}, {x, y, z}}; };
  switch (n.kind) {
    case Kind::Box: return symmetric(n.a, n.b, n.c);
    case Kind::Sphere: return symmetric(n.a, n.a, n.a);
    case Kind::Cylinder: return symmetric(n.a, n.b, n.a);
    case Kind::Torus: return symmetric(n.a + n.b, n.b, n.a + n.b);
    case Kind::Capsule: return symmetric(n.a, n.b + n.a, n.a);
    case Kind::Cone: {
      const double r = std::max(n.a, n.b);
      return symmetric(r, n.c, r);
    }
    case Kind::Placement: {
      // The box around the placed corners of the child's box.
      const Bounds3 child = boundsOf(*n.left);
      Bounds3 out{{INFINITY, INFINITY, INFINITY}, {-INFINITY, -INFINITY, -INFINITY}};
      for (int corner = 0; corner < 8; ++corner) {
        const Vec3d c{(corner & 1) ? child.max.x : child.min.x, (corner & 2) ? child.max.y : child.min.y,
                      (corner & 4) ? child.max.z : child.min.z};
        const Vec3d w = n.scale * rotate(n.rotation, c) + n.translation;
        out.min = {std::min(out.min.x, w.x), std::min(out.min.y, w.y), std::min(out.min.z, w.z)};
        out.max = {std::max(out.max.x, w.x), std::max(out.max.y, w.y), std::max(out.max.z, w.z)};
      }
      return out;
    }
    case Kind::Union: {
      const Bounds3 a = boundsOf(*n.left), b = boundsOf(*n.right);
      return {{std::min(a.min.x, b.min.x), std::min(a.min.y, b.min.y), std::min(a.min.z, b.min.z)},
              {std::max(a.max.x, b.max.x), std::max(a.max.y, b.max.y), std::max(a.max.z, b.max.z)}};
    }
    case Kind::Intersection: {
      const Bounds3 a = boundsOf(*n.left), b = boundsOf(*n.right);
      Bounds3 out{{std::max(a.min.x, b.min.x), std::max(a.min.y, b.min.y), std::max(a.min.z, b.min.z)},
                  {std::min(a.max.x, b.max.x), std::min(a.max.y, b.max.y), std::min(a.max.z, b.max.z)}};
      out.max = {std::max(out.max.x, out.min.x), std::max(out.max.y, out.min.y), std::max(out.max.z, out.min.z)};
      return out;
    }
    case Kind::Difference: return boundsOf(*n.left);
  }
  return {};
}

int countNodes(const Node& n) {
  return 1 + (n.left ? countNodes(*n.left) : 0) + (n.right ? countNodes(*n.right) : 0);
}

void requirePositive(double value, const char* what) {
  if (!(value > 0) || !std::isfinite(value))
    throw std::invalid_argument(std::string("Solid: ") + what + " must be positive and finite, got " +
                                std::to_string(value));
}

std::shared_ptr<Node> primitive(Kind kind, double a, double b = 0, double c = 0, double d = 0) {
  auto n = std::make_shared<Node>();
  n->kind = kind;
  n->a = a, n->b = b, n->c = c, n->d = d;
  return n;
}

}  // namespace

Solid Solid::box(Vec3d h, double rounding) {
  requirePositive(h.x, "box half extent"), requirePositive(h.y, "box half extent"), requirePositive(h.z, "box half extent");
  if (rounding < 0 || rounding >= std::min({h.x, h.y, h.z}))
    throw std::invalid_argument("Solid: box rounding must be in [0, smallest half extent)");
  return Solid(primitive(Kind::Box, h.x, h.y, h.z, rounding));
}
Solid Solid::sphere(double r) {
  requirePositive(r, "sphere radius");
  return Solid(primitive(Kind::Sphere, r));
}
Solid Solid::cylinder(double r, double h) {
  requirePositive(r, "cylinder radius"), requirePositive(h, "cylinder half height");
  return Solid(primitive(Kind::Cylinder, r, h));
}
Solid Solid::torus(double major, double minor) {
  requirePositive(minor, "torus minor radius");
  if (!(major > minor)) throw std::invalid_argument("Solid: torus major radius must exceed the minor radius");
  return Solid(primitive(Kind::Torus, major, minor));
}
Solid Solid::capsule(double r, double h) {
  requirePositive(r, "capsule radius"), requirePositive(h, "capsule half length");
  return Solid(primitive(Kind::Capsule, r, h));
}
Solid Solid::cone(double bottom, double top, double h) {
  requirePositive(h, "cone half height");
  if (bottom < 0 || top < 0 || !(bottom + top > 0))
    throw std::invalid_argument("Solid: cone radii must be >= 0 and not both 0");
  return Solid(primitive(Kind::Cone, bottom, top, h));
}

// Placements fold into one node: placing a placed solid composes the two maps.
namespace {
std::shared_ptr<const Node> place(const std::shared_ptr<const Node>& child, const std::array<double, 9>& rotation,
                                  const Vec3d& translation, double scale) {
  auto n = std::make_shared<Node>();
  n->kind = Kind::Placement;
  if (child->kind == Kind::Placement) {
    // x = s2 R2 (s1 R1 x + t1) + t2 = (s2 s1)(R2 R1) x + (s2 R2 t1 + t2)
    n->rotation = multiply(rotation, child->rotation);
    n->translation = scale * rotate(rotation, child->translation) + translation;
    n->scale = scale * child->scale;
    n->left = child->left;
  } else {
    n->rotation = rotation;
    n->translation = translation;
    n->scale = scale;
    n->left = child;
  }
  return n;
}
constexpr std::array<double, 9> kIdentity{1, 0, 0, 0, 1, 0, 0, 0, 1};
}  // namespace

Solid Solid::translated(Vec3d offset) const { return Solid(place(node_, kIdentity, offset, 1)); }

Solid Solid::rotated(Vec3d axis, double radians) const {
  const double len = length(axis);
  if (!(len > 0)) throw std::invalid_argument("Solid: rotation axis must not be zero");
  const Vec3d u = (1.0 / len) * axis;
  const double c = std::cos(radians), s = std::sin(radians), t = 1 - c;  // Rodrigues
  const std::array<double, 9> r{t * u.x * u.x + c,       t * u.x * u.y - s * u.z, t * u.x * u.z + s * u.y,
                                t * u.x * u.y + s * u.z, t * u.y * u.y + c,       t * u.y * u.z - s * u.x,
                                t * u.x * u.z - s * u.y, t * u.y * u.z + s * u.x, t * u.z * u.z + c};
  return Solid(place(node_, r, {}, 1));
}

Solid Solid::scaled(double factor) const {
  requirePositive(factor, "scale factor");
  return Solid(place(node_, kIdentity, {}, factor));
}

namespace {
Solid::Node combined(Kind kind) {
  Solid::Node n;
  n.kind = kind;
  return n;
}
}  // namespace

Solid operator|(const Solid& a, const Solid& b) {
  auto n = std::make_shared<Solid::Node>(combined(Solid::Node::Kind::Union));
  n->left = a.node_, n->right = b.node_;
  return Solid(n);
}
Solid operator&(const Solid& a, const Solid& b) {
  auto n = std::make_shared<Solid::Node>(combined(Solid::Node::Kind::Intersection));
  n->left = a.node_, n->right = b.node_;
  return Solid(n);
}
Solid operator-(const Solid& a, const Solid& b) {
  auto n = std::make_shared<Solid::Node>(combined(Solid::Node::Kind::Difference));
  n->left = a.node_, n->right = b.node_;
  return Solid(n);
}

double Solid::distance(const Vec3d& p) const { return evaluate(*node_, p); }
Vec3d Solid::gradient(const Vec3d& p, double h) const {
  const double dx = distance(p + Vec3d{h, 0, 0}) - distance(p - Vec3d{h, 0, 0});
  const double dy = distance(p + Vec3d{0, h, 0}) - distance(p - Vec3d{0, h, 0});
  const double dz = distance(p + Vec3d{0, 0, h}) - distance(p - Vec3d{0, 0, h});
  return (0.5 / h) * Vec3d{dx, dy, dz};
}
Bounds3 Solid::bounds() const { return boundsOf(*node_); }
int Solid::nodeCount() const { return countNodes(*node_); }

}  // namespace fieldscope
