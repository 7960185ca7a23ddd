// The generalized winding number: exact inside/outside for a closed mesh away from the surface,
// robust to holes, and the tree's far-field expansion within 1e-3 of the brute-force sum.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/shape_data/procedural_shapes.h"
#include "model/shape_data/shape_random.h"
#include "model/shape_data/winding_number.h"
#include "tests/shape_data/test_support.h"

namespace fieldscope {
namespace {

Vec3d randomPoint(ShapeRandom& r, double bound) {
  return {r.uniform(-bound, bound), r.uniform(-bound, bound), r.uniform(-bound, bound)};
}

// The 12-triangle unit cube [0, 1]^3, counter-clockwise seen from outside.
Mesh cube() {
  Mesh m;
  for (int i = 0; i < 8; ++i)
    m.positions.push_back({static_cast<float>(i & 1), static_cast<float>((i >> 1) & 1), static_cast<float>((i >> 2) & 1)});
  m.triangles = {{0, 2, 1}, {1, 2, 3}, {4, 5, 6}, {5, 7, 6}, {0, 1, 4}, {1, 5, 4},
                 {2, 6, 3}, {3, 6, 7}, {0, 4, 2}, {2, 4, 6}, {1, 3, 5}, {3, 7, 5}};
  return m;
}

TEST(WindingNumber, CubeIsOneInsideZeroOutsideMinusOneTurned) {
  const Mesh m = cube();
  EXPECT_NEAR(windingNumberBruteForce(m, {0.5, 0.5, 0.5}), 1.0, 1e-12);
  EXPECT_NEAR(windingNumberBruteForce(m, {0.1, 0.9, 0.2}), 1.0, 1e-12);
  EXPECT_NEAR(windingNumberBruteForce(m, {1.5, 0.5, 0.5}), 0.0, 1e-12);
  const WindingNumber w(m);
  EXPECT_NEAR(w.at({0.5, 0.5, 0.5}), 1.0, 1e-12);
  EXPECT_NEAR(w.at({-3, 2, 7}), 0.0, 1e-3);
  Mesh turned = m;
  for (auto& t : turned.triangles) std::swap(t[1], t[2]);
  EXPECT_NEAR(windingNumberBruteForce(turned, {0.5, 0.5, 0.5}), -1.0, 1e-12);
}

TEST(WindingNumber, ClosedSphereLabelsEveryPointAwayFromTheSurface) {
  const Mesh sphere = test::sphereMesh(48);  // radius ~0.5
  const WindingNumber w(sphere);
  ShapeRandom r(1);
  int inside = 0, outside = 0;
  for (int i = 0; i < 20000; ++i) {
    const Vec3d p = randomPoint(r, 1.5);
    const double radius = length(p);
    if (std::abs(radius - 0.5) < 0.02) continue;  // the mesh is a polygonal sphere
    const double value = w.at(p);
    if (radius < 0.5) {
      ASSERT_NEAR(value, 1.0, 1e-3) << radius;
      ++inside;
    } else {
      ASSERT_NEAR(value, 0.0, 1e-3) << radius;
      ++outside;
    }
  }
  EXPECT_GT(inside, 100);
  EXPECT_GT(outside, 100);
}

TEST(WindingNumber, SphereWithHolesStillLabelsTheCentreInsideAndFarPointsOutside) {
  Mesh open = test::sphereMesh(32);
  // Remove every triangle near the north pole and a scattered few elsewhere.
  std::vector<std::array<std::uint32_t, 3>> kept;
  int removed = 0;
  for (std::size_t i = 0; i < open.triangles.size(); ++i) {
    const Vec3f& v = open.positions[open.triangles[i][0]];
    if (v.y > 0.47 || i % 97 == 0) {
      ++removed;
      continue;
    }
    kept.push_back(open.triangles[i]);
  }
  open.triangles = kept;
  ASSERT_GT(removed, 20);
  const WindingNumber w(open);
  EXPECT_GT(w.at({0, 0, 0}), 0.5);
  EXPECT_GT(w.at({0.2, -0.2, 0.1}), 0.5);
  EXPECT_GT(w.at({0, 0.4, 0}), 0.5);  // just below the hole
  for (const Vec3d& far : {Vec3d{2, 0, 0}, Vec3d{0, 3, 0}, Vec3d{0, 0.9, 0}, Vec3d{-1, -1, -1}}) EXPECT_LT(w.at(far), 0.5);
}

// Points everywhere and right at the surface of a detailed shape: the tree agrees with the exact
// sum within 1e-3.
TEST(WindingNumber, FastPathAgreesWithBruteForce) {
  const ProceduralShape shape = makeShape("mug", 3);
  const Mesh mesh = meshSolid(shape.solid, {40})->mesh;
  ASSERT_GT(mesh.triangles.size(), 10000u);
  const WindingNumber w(mesh);
  ShapeRandom r(2);
  double worst = 0;
  for (int i = 0; i < 300; ++i) {
    Vec3d p = randomPoint(r, 0.6);
    if (i % 3 != 0) {  // near the surface: a vertex plus a little noise
      const Vec3f& v = mesh.positions[static_cast<std::size_t>(r.integer(0, static_cast<int>(mesh.positions.size()) - 1))];
      const double s = i % 3 == 1 ? 0.01 : 0.001;
      p = toDouble(v) + Vec3d{s * r.normal(), s * r.normal(), s * r.normal()};
    }
    worst = std::max(worst, std::abs(w.at(p) - windingNumberBruteForce(mesh, p)));
  }
  EXPECT_LT(worst, 1e-3);
}

// classify() takes a quick pass and re-sums only near 0.5: its labels are the precise ones.
TEST(WindingNumber, ClassifyGivesThePreciseLabels) {
  Mesh open = test::sphereMesh(32);
  open.triangles.resize(open.triangles.size() * 9 / 10);  // a big hole: many points near w = 0.5
  const WindingNumber w(open);
  ShapeRandom r(8);
  std::vector<float> xyz(3 * 20000);
  for (float& c : xyz) c = static_cast<float>(r.uniform(-0.6, 0.6));
  std::vector<std::uint8_t> labels(20000);
  ASSERT_TRUE(w.classify(xyz, labels, 2));
  std::size_t ambiguous = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double precise = w.at({xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]});
    ambiguous += std::abs(precise - 0.5) < WindingNumber::kRecheckBand;
    ASSERT_EQ(labels[i], precise > 0.5 ? 1 : 0) << i;
  }
  EXPECT_GT(ambiguous, 100u);  // the re-check was exercised
}

TEST(WindingNumber, ThreadedEvaluationEqualsSinglePoints) {
  const WindingNumber w(test::sphereMesh(24));
  ShapeRandom r(4);
  std::vector<float> xyz(3 * 3000);
  for (float& c : xyz) c = static_cast<float>(r.uniform(-0.7, 0.7));
  std::vector<float> out(3000);
  ASSERT_TRUE(w.evaluate(xyz, out, 3));
  for (std::size_t i = 0; i < out.size(); ++i)
    ASSERT_EQ(out[i], static_cast<float>(w.at({xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]})));
  std::atomic<bool> cancel{true};
  EXPECT_FALSE(w.evaluate(xyz, out, 2, &cancel));
  EXPECT_THROW(WindingNumber(Mesh{}), std::invalid_argument);
}

}  // namespace
}  // namespace fieldscope
