// The CSG solid: primitive distances against known values and brute force, the inside test
// against the booleans of the operands' signs, the 1-Lipschitz bound marching cubes relies on,
// placements and bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "model/shape_data/csg_solid.h"
#include "model/shape_data/shape_random.h"

namespace fieldscope {
namespace {

constexpr double kPi = std::numbers::pi;

Vec3d randomPoint(ShapeRandom& r, double bound) {
  return {r.uniform(-bound, bound), r.uniform(-bound, bound), r.uniform(-bound, bound)};
}

TEST(CsgSolid, PrimitiveDistancesAtKnownPoints) {
  EXPECT_NEAR(Solid::sphere(0.5).distance({1, 0, 0}), 0.5, 1e-12);
  EXPECT_NEAR(Solid::sphere(0.5).distance({0, 0, 0}), -0.5, 1e-12);
  const Solid box = Solid::box({1, 2, 3});
  EXPECT_NEAR(box.distance({2, 0, 0}), 1, 1e-12);
  EXPECT_NEAR(box.distance({2, 3, 0}), std::sqrt(2.0), 1e-12);  // off a corner edge
  EXPECT_NEAR(box.distance({0, 0, 0}), -1, 1e-12);
  EXPECT_NEAR(Solid::cylinder(1, 2).distance({3, 0, 0}), 2, 1e-12);
  EXPECT_NEAR(Solid::cylinder(1, 2).distance({0, 5, 0}), 3, 1e-12);
  EXPECT_NEAR(Solid::cylinder(1, 2).distance({0, 1.5, 0}), -0.5, 1e-12);
  EXPECT_NEAR(Solid::torus(1, 0.25).distance({1, 0, 0}), -0.25, 1e-12);
  EXPECT_NEAR(Solid::torus(1, 0.25).distance({0, 0, 0}), 0.75, 1e-12);
  EXPECT_NEAR(Solid::capsule(0.5, 1).distance({0, 2, 0}), 0.5, 1e-12);
  EXPECT_NEAR(Solid::capsule(0.5, 1).distance({1, 0, 0}), 0.5, 1e-12);
  EXPECT_NEAR(Solid::cone(1, 0.5, 1).distance({0, 2, 0}), 1, 1e-12);
  EXPECT_NEAR(Solid::cone(1, 0.5, 1).distance({0, -1.5, 0}), 0.5, 1e-12);
}

// Rounded box: inside the flat face region the distance is the plain face distance.
TEST(CsgSolid, RoundedBoxKeepsFacesAndRoundsCorners) {
  const Solid b = Solid::box({1, 1, 1}, 0.25);
  EXPECT_NEAR(b.distance({1.5, 0, 0}), 0.5, 1e-12);
  // Beyond a corner: distance to the corner sphere of radius 0.25 centred at (0.75, 0.75, 0.75).
  const double d = std::sqrt(3 * 0.25 * 0.25);
  EXPECT_NEAR(b.distance({1, 1, 1}), d - 0.25, 1e-12);
  EXPECT_FALSE(b.inside({0.99, 0.99, 0.99}));
  EXPECT_TRUE(b.inside({0.99, 0.5, 0.5}));
}

// The cone's distance against brute force over a dense sampling of its surface.
TEST(CsgSolid, ConeDistanceMatchesBruteForce) {
  const double r1 = 0.8, r2 = 0.2, h = 0.6;
  const Solid cone = Solid::cone(r1, r2, h);
  ShapeRandom r(3);
  for (int k = 0; k < 60; ++k) {
    const Vec3d p = {r.uniform(-1.5, 1.5), r.uniform(-1.5, 1.5), 0};  // the xy half-plane suffices by symmetry
    const double q = std::abs(p.x);
    double best = 1e9;
    // Profile in (radius, y): bottom cap, side, top cap.
    for (int i = 0; i <= 4000; ++i) {
      const double t = i / 4000.0;
      const double pts[3][2] = {{t * r1, -h}, {r1 + (r2 - r1) * t, -h + 2 * h * t}, {t * r2, h}};
      for (const auto& s : pts) best = std::min(best, std::hypot(q - s[0], p.y - s[1]));
    }
    const double d = cone.distance(p);
    EXPECT_NEAR(std::abs(d), best, 2e-3) << p.x << " " << p.y;
    const bool in = std::abs(p.y) < h && q < r1 + (r2 - r1) * (p.y + h) / (2 * h);
    EXPECT_EQ(d < 0, in);
  }
}

// The inside test of a boolean tree is the boolean of its operands' inside tests.
TEST(CsgSolid, InsideTestIsTheBooleanOfTheOperands) {
  const Solid a = Solid::box({0.4, 0.3, 0.2}, 0.05).rotatedZ(0.3).translated({0.1, 0, 0});
  const Solid b = Solid::sphere(0.35).translated({-0.1, 0.1, 0.05});
  const Solid c = Solid::torus(0.3, 0.08).rotatedX(0.5 * kPi);
  const Solid d = Solid::cone(0.2, 0.05, 0.3).translated({0, 0.2, 0});
  const Solid tree = ((a | b) - c) & (d | Solid::cylinder(0.3, 0.25));
  ShapeRandom r(11);
  int inside = 0;
  for (int i = 0; i < 20000; ++i) {
    const Vec3d p = randomPoint(r, 0.6);
    const bool expected =
        ((a.inside(p) || b.inside(p)) && !c.inside(p)) && (d.inside(p) || Solid::cylinder(0.3, 0.25).inside(p));
    ASSERT_EQ(tree.inside(p), expected);
    ASSERT_EQ(tree.inside(p), tree.distance(p) < 0);
    inside += expected;
  }
  EXPECT_GT(inside, 500);  // the test saw both sides
  EXPECT_LT(inside, 19500);
}

// |d(p) - d(q)| <= |p - q|: what the empty-space skipping and the Newton projection rely on.
TEST(CsgSolid, DistanceIsOneLipschitz) {
  const Solid s = ((Solid::box({0.3, 0.2, 0.25}, 0.02) | Solid::capsule(0.1, 0.4).rotatedZ(1.0)) -
                   Solid::cylinder(0.1, 1.0)).rotated({1, 2, 3}, 0.7).scaled(1.3).translated({0.05, -0.1, 0});
  ShapeRandom r(5);
  for (int i = 0; i < 20000; ++i) {
    const Vec3d p = randomPoint(r, 0.8);
    const Vec3d q = p + 0.05 * randomPoint(r, 1.0);
    ASSERT_LE(std::abs(s.distance(p) - s.distance(q)), length(p - q) + 1e-12);
  }
}

TEST(CsgSolid, PlacementsMoveRotateAndScale) {
  const Solid moved = Solid::sphere(0.5).translated({1, 2, 3});
  EXPECT_NEAR(moved.distance({1, 2, 3}), -0.5, 1e-12);
  EXPECT_NEAR(moved.distance({2, 2, 3}), 0.5, 1e-12);
  // A cylinder along y turned 90 degrees about z lies along x.
  const Solid turned = Solid::cylinder(0.1, 1).rotatedZ(0.5 * kPi);
  EXPECT_TRUE(turned.inside({0.9, 0, 0}));
  EXPECT_FALSE(turned.inside({0, 0.9, 0}));
  // Scale multiplies distances; placements compose in order (scale about the origin after the move).
  const Solid scaled = Solid::sphere(1).translated({1, 0, 0}).scaled(2);
  EXPECT_NEAR(scaled.distance({2, 0, 0}), -2, 1e-12);
  EXPECT_NEAR(scaled.distance({5, 0, 0}), 1, 1e-12);
  EXPECT_THROW(Solid::sphere(-1), std::invalid_argument);
  EXPECT_THROW(Solid::box({1, 1, 1}, 1.0), std::invalid_argument);
  EXPECT_THROW(Solid::torus(0.1, 0.2), std::invalid_argument);
  EXPECT_THROW(Solid::sphere(1).rotated({0, 0, 0}, 1), std::invalid_argument);
}

TEST(CsgSolid, BoundsHoldTheSolid) {
  const Solid s = (Solid::torus(0.5, 0.1).rotatedX(0.4).translated({0.2, 0, 0}) |
                   Solid::cone(0.3, 0, 0.4).rotated({1, 1, 0}, 0.8).translated({0, 0.5, 0})) - Solid::sphere(0.2);
  const Bounds3 b = s.bounds();
  ShapeRandom r(7);
  for (int i = 0; i < 20000; ++i) {
    const Vec3d p = randomPoint(r, 1.2);
    if (!s.inside(p)) continue;
    ASSERT_TRUE(p.x >= b.min.x && p.y >= b.min.y && p.z >= b.min.z && p.x <= b.max.x && p.y <= b.max.y && p.z <= b.max.z);
  }
  // Axis-aligned parts give tight boxes.
  const Bounds3 t = Solid::box({0.1, 0.2, 0.3}).translated({1, 0, 0}).bounds();
  EXPECT_NEAR(t.min.x, 0.9, 1e-12);
  EXPECT_NEAR(t.max.z, 0.3, 1e-12);
}

TEST(CsgSolid, GradientIsTheOutwardUnitNormalOnTheSurface) {
  const Solid s = Solid::sphere(0.5) - Solid::cylinder(0.2, 1);
  const Vec3d outer = s.gradient({0.5, 0, 0});
  EXPECT_NEAR(outer.x, 1, 1e-6);
  const Vec3d hole = s.gradient({0.2, 0, 0});  // the bore's wall: outward is into the bore
  EXPECT_NEAR(hole.x, -1, 1e-6);
  EXPECT_NEAR(length(hole), 1, 1e-6);
}

}  // namespace
}  // namespace fieldscope
