#include "model/geometry/mesh_stats.h"

#include <gtest/gtest.h>

#include <utility>

#include "tests/geometry/test_meshes.h"

namespace fieldscope {
namespace {

TEST(MeshStats, UnitCubeIsAClosedSphereLikeSolid) {
  const MeshStats s = computeMeshStats(test::cube());
  EXPECT_NEAR(s.volume, 1.0, 1e-12);
  EXPECT_NEAR(s.area, 6.0, 1e-12);
  EXPECT_EQ(s.vertices, 8u);
  EXPECT_EQ(s.edges, 18u);
  EXPECT_EQ(s.faces, 12u);
  EXPECT_EQ(s.eulerCharacteristic, 2);
  EXPECT_EQ(s.components, 1u);
  EXPECT_EQ(s.nonManifoldVertices, 0u);
  EXPECT_TRUE(s.closedManifold());
}

TEST(MeshStats, VolumeDoesNotDependOnWhereTheSolidIs) {
  EXPECT_NEAR(computeMeshStats(test::cube(2.0f, {10, -7, 3})).volume, 8.0, 1e-9);
}

TEST(MeshStats, AMissingTriangleIsAHole) {
  Mesh m = test::cube();
  m.triangles.pop_back();
  const MeshStats s = computeMeshStats(m);
  EXPECT_EQ(s.boundaryEdges, 3u);
  EXPECT_FALSE(s.closedManifold());
  EXPECT_EQ(s.eulerCharacteristic, 1);  // a disk
}

TEST(MeshStats, AFlippedTriangleIsMisoriented) {
  Mesh m = test::cube();
  std::swap(m.triangles[0][1], m.triangles[0][2]);
  const MeshStats s = computeMeshStats(m);
  EXPECT_EQ(s.misorientedEdges, 3u);
  EXPECT_EQ(s.boundaryEdges, 0u);
  EXPECT_FALSE(s.closedManifold());
}

TEST(MeshStats, InsideOutMeshHasNegativeVolume) {
  Mesh m = test::cube();
  for (auto& t : m.triangles) std::swap(t[1], t[2]);
  const MeshStats s = computeMeshStats(m);
  EXPECT_NEAR(s.volume, -1.0, 1e-12);
  EXPECT_TRUE(s.closedManifold()) << "consistent, only the other way round";
}

TEST(MeshStats, AFinAttachedToAnEdgeIsNonManifold) {
  Mesh m = test::cube();
  m.positions.push_back({0.5f, -1.0f, 0.0f});
  m.triangles.push_back({0, 1, 8});  // a third triangle on edge 0-1
  const MeshStats s = computeMeshStats(m);
  EXPECT_EQ(s.nonManifoldEdges, 1u);
  EXPECT_FALSE(s.closedManifold());
}

TEST(MeshStats, CountsComponentsAndDegenerateTriangles) {
  Mesh m = test::cube();
  const Mesh other = test::cube(1.0f, {3, 0, 0});
  for (const Vec3f& p : other.positions) m.positions.push_back(p);
  for (auto t : other.triangles) m.triangles.push_back({t[0] + 8, t[1] + 8, t[2] + 8});
  m.positions.push_back({9, 9, 9});  // unused: not counted
  MeshStats s = computeMeshStats(m);
  EXPECT_EQ(s.components, 2u);
  EXPECT_EQ(s.vertices, 16u);
  EXPECT_EQ(s.eulerCharacteristic, 4);
  EXPECT_NEAR(s.volume, 2.0, 1e-9);
  m.triangles.push_back({0, 0, 1});
  s = computeMeshStats(m);
  EXPECT_EQ(s.degenerateFaces, 1u);
  EXPECT_FALSE(s.closedManifold());
}

TEST(MeshStats, TwoCubesSharingOneCornerArePinched) {
  // Every edge is in exactly two triangles, but the shared corner joins two separate fans.
  Mesh m = test::cube();
  const Mesh other = test::cube(1.0f, {1, 1, 1});
  for (const Vec3f& p : other.positions) m.positions.push_back(p);
  auto remap = [](std::uint32_t v) { return v == 0 ? 7u : v + 8; };  // other's corner 0 is our corner 7
  for (auto t : other.triangles) m.triangles.push_back({remap(t[0]), remap(t[1]), remap(t[2])});
  const MeshStats s = computeMeshStats(m);
  EXPECT_EQ(s.boundaryEdges + s.nonManifoldEdges + s.misorientedEdges, 0u);
  EXPECT_EQ(s.nonManifoldVertices, 1u);
  EXPECT_FALSE(s.closedManifold());
  EXPECT_EQ(s.components, 1u);
}

TEST(MeshStats, OutOfRangeIndexThrows) {
  Mesh m = test::cube();
  m.triangles.push_back({0, 1, 8});
  EXPECT_THROW(computeMeshStats(m), std::invalid_argument);
}

TEST(MeshStats, EmptyMeshIsNotClosed) {
  const MeshStats s = computeMeshStats(Mesh{});
  EXPECT_EQ(s.faces, 0u);
  EXPECT_FALSE(s.closedManifold());
}

}  // namespace
}  // namespace fieldscope
