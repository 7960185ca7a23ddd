#pragma once
// Constructive solid geometry for the procedural shape set (docs/architecture.md "Data";
// ../shared/DESIGN.md §5.3 "CSG of primitives, analytic inside test").
//
// A Solid is an immutable tree: primitives in their own frame (centred on the origin, axis y),
// placed by rigid motions and uniform scale, combined by union, intersection and difference.
// Copies share the tree, so building a shape from parts is cheap.
//
// distance(p) is a signed distance, negative inside. It is exact for a placed primitive; union,
// intersection and difference combine by min / max, which keeps it 1-Lipschitz and keeps it exact
// near most of the surface (a bound elsewhere: |distance| never exceeds the true distance).
// That is what marching cubes and the empty-space skipping of solid_mesh.cpp need.
// inside(p) is distance(p) < 0, and it is *exact*: each primitive's sign is exact, and min / max
// give the sign of the boolean combination of the operands' signs. The shape set's labels are
// this test, so they do not depend on any mesh resolution.
#include <memory>

#include "model/geometry/vec3.h"

namespace fieldscope {

// An axis-aligned box that contains the solid (not always the tightest: a rotated part's box is
// the box around its rotated box).
struct Bounds3 {
  Vec3d min, max;
  Vec3d size() const { return max - min; }
  Vec3d centre() const { return 0.5 * (min + max); }
};

class Solid {
 public:
  struct Node;  // the tree's node (csg_solid.cpp)

  // Primitives, centred on the origin; the axis of the round ones is y.
  static Solid box(Vec3d halfExtents, double rounding = 0);  // edges rounded by `rounding`
  static Solid sphere(double radius);
  static Solid cylinder(double radius, double halfHeight);   // capped, flat ends at y = ±halfHeight
  static Solid torus(double majorRadius, double minorRadius);  // ring in the xz plane around y
  static Solid capsule(double radius, double halfLength);    // segment y in [-halfLength, halfLength], swept sphere
  // Capped cone (frustum): radius `bottomRadius` at y = -halfHeight, `topRadius` at y = +halfHeight
  // (either may be 0: a pointed cone).
  static Solid cone(double bottomRadius, double topRadius, double halfHeight);

  // Placement (about the world origin, applied after the solid's own placement).
  Solid translated(Vec3d offset) const;
  Solid rotated(Vec3d axis, double radians) const;  // right-handed about `axis` (any length > 0)
  Solid rotatedX(double radians) const { return rotated({1, 0, 0}, radians); }
  Solid rotatedY(double radians) const { return rotated({0, 1, 0}, radians); }
  Solid rotatedZ(double radians) const { return rotated({0, 0, 1}, radians); }
  Solid scaled(double factor) const;  // uniform, factor > 0

  friend Solid operator|(const Solid& a, const Solid& b);  // union
  friend Solid operator&(const Solid& a, const Solid& b);  // intersection
  friend Solid operator-(const Solid& a, const Solid& b);  // difference: a without b

  double distance(const Vec3d& p) const;
  bool inside(const Vec3d& p) const { return distance(p) < 0; }
  // The distance's gradient by central differences (step h): the outward normal on the surface
  // (on a crease, the normal of the side the differences see). Not normalised.
  Vec3d gradient(const Vec3d& p, double h = 1e-5) const;
  Bounds3 bounds() const;
  int nodeCount() const;  // primitives + placements + operations (for tests and benchmarks)

 private:
  explicit Solid(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  std::shared_ptr<const Node> node_;
};

}  // namespace fieldscope
