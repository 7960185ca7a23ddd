// Every procedural family meshes to one closed 2-manifold in the unit cube whose volume matches
// the exact inside test's Monte-Carlo volume; draws are reproducible.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "model/geometry/mesh_stats.h"
#include "model/shape_data/procedural_shapes.h"
#include "model/shape_data/shape_random.h"
#include "model/shape_data/solid_mesh.h"

namespace fieldscope {
namespace {

class FamilyTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FamilyTest, MeshIsOneClosedManifoldWithTheSolidsVolume) {
  const ProceduralShape shape = makeShape(GetParam(), 1);
  EXPECT_EQ(shape.family, GetParam());
  EXPECT_FALSE(shape.params.empty());
  constexpr int kGrid = 128;
  const std::optional<SolidMesh> meshed = meshSolid(shape.solid, {kGrid});
  ASSERT_TRUE(meshed);
  const Mesh& mesh = meshed->mesh;

  const MeshStats stats = computeMeshStats(mesh);
  EXPECT_TRUE(stats.closedManifold()) << "boundary " << stats.boundaryEdges << ", non-manifold edges "
                                      << stats.nonManifoldEdges << ", vertices " << stats.nonManifoldVertices;
  EXPECT_EQ(stats.components, 1u);

  // Normalised: the box centred on the origin, longest side 1.
  const Bounds3 b = meshBounds(mesh);
  const Vec3d size = b.size(), centre = b.centre();
  EXPECT_NEAR(std::max({size.x, size.y, size.z}), 1.0, 1e-6);
  EXPECT_NEAR(centre.x, 0, 1e-6);
  EXPECT_NEAR(centre.y, 0, 1e-6);
  EXPECT_NEAR(centre.z, 0, 1e-6);

  // The normalised solid is in the mesh's frame: vertices lie within a cell of its surface.
  const double cell = 1.0 / (kGrid - 5);
  double worst = 0;
  for (std::size_t i = 0; i < mesh.positions.size(); i += 97) worst = std::max(worst, std::abs(meshed->solid.distance(toDouble(mesh.positions[i]))));
  EXPECT_LT(worst, cell);

  // Volume: the mesh's (divergence theorem) against Monte Carlo on the exact inside test.
  ShapeRandom r(99);
  constexpr int kSamples = 100000;
  int in = 0;
  for (int i = 0; i < kSamples; ++i)
    in += meshed->solid.inside({r.uniform(b.min.x, b.max.x), r.uniform(b.min.y, b.max.y), r.uniform(b.min.z, b.max.z)});
  const double monteCarlo = size.x * size.y * size.z * in / kSamples;
  EXPECT_NEAR(stats.volume / monteCarlo, 1.0, 0.03) << "mesh " << stats.volume << ", Monte Carlo " << monteCarlo;
}

INSTANTIATE_TEST_SUITE_P(Families, FamilyTest, ::testing::ValuesIn(shapeFamilies()),
                         [](const auto& info) { return info.param; });

TEST(ProceduralShapes, TenDistinctFamilies) {
  const auto& families = shapeFamilies();
  EXPECT_EQ(families.size(), 10u);
  EXPECT_EQ(std::set<std::string>(families.begin(), families.end()).size(), families.size());
  EXPECT_THROW(makeShape("teapot", 0), std::invalid_argument);
}

TEST(ProceduralShapes, DrawsAreReproducibleAndVaried) {
  std::set<std::string> seen;
  for (std::uint64_t i = 0; i < 60; ++i) {
    const ProceduralShape a = makeSetShape(7, i), b = makeSetShape(7, i);
    ASSERT_EQ(a.family, b.family);
    ASSERT_EQ(a.params.size(), b.params.size());
    for (std::size_t k = 0; k < a.params.size(); ++k) {
      ASSERT_EQ(a.params[k].name, b.params[k].name);
      ASSERT_EQ(a.params[k].value, b.params[k].value);
    }
    const Vec3d p{0.013 * i, 0.2, -0.1};
    ASSERT_EQ(a.solid.distance(p), b.solid.distance(p));
    seen.insert(a.family);
  }
  EXPECT_EQ(seen.size(), shapeFamilies().size());  // 60 draws reach every family
  // Another attempt or another seed is another shape.
  EXPECT_NE(makeSetShape(7, 0, 1).params.front().value, makeSetShape(7, 0, 0).params.front().value);
  EXPECT_NE(makeShape("mug", 1).params.front().value, makeShape("mug", 2).params.front().value);
}

}  // namespace
}  // namespace fieldscope
