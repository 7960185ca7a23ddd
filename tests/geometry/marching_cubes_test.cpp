#include "model/geometry/marching_cubes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>

#include "model/geometry/mesh_stats.h"
#include "tests/geometry/test_fields.h"

namespace fieldscope {
namespace {

using test::sampleCube;

Mesh extract(const ScalarGridView& grid, float iso = 0.0f) {
  std::optional<Mesh> mesh = marchingCubes(grid, iso);
  EXPECT_TRUE(mesh.has_value());
  return mesh ? std::move(*mesh) : Mesh{};
}

void expectClosedManifold(const MeshStats& s, const std::string& what) {
  EXPECT_TRUE(s.closedManifold()) << what << ": boundary " << s.boundaryEdges << ", non-manifold "
                                  << s.nonManifoldEdges << ", misoriented " << s.misorientedEdges
                                  << ", pinched vertices " << s.nonManifoldVertices
                                  << ", degenerate " << s.degenerateFaces << ", faces " << s.faces;
  // Each closed orientable component contributes 2 - 2 * genus.
  EXPECT_EQ(s.eulerCharacteristic % 2, 0) << what;
  EXPECT_LE(s.eulerCharacteristic, 2 * static_cast<long long>(s.components)) << what;
}

TEST(MarchingCubes, SphereAt128HasTheAnalyticVolumeAreaAndTopology) {
  const Vec3d centre{0.013, -0.021, 0.007};  // off the grid's symmetry, so no lucky cancellations
  const double r = 0.6;
  const auto grid = sampleCube(128, 1.0, test::sphereField(centre, r));
  const Mesh mesh = extract(grid.view());
  const MeshStats s = computeMeshStats(mesh);
  const double volume = 4.0 / 3.0 * std::numbers::pi * r * r * r, area = 4.0 * std::numbers::pi * r * r;
  EXPECT_NEAR(s.volume, volume, 0.01 * volume);
  EXPECT_NEAR(s.area, area, 0.01 * area);
  expectClosedManifold(s, "sphere");
  EXPECT_EQ(s.eulerCharacteristic, 2);
  EXPECT_EQ(s.components, 1u);
  ASSERT_EQ(mesh.normals.size(), mesh.positions.size());
  std::size_t inward = 0;
  for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
    const Vec3d radial = toDouble(mesh.positions[i]) - centre;
    const Vec3d n = toDouble(mesh.normals[i]);
    EXPECT_NEAR(length(n), 1.0, 1e-5);
    if (dot(n, radial) <= 0) ++inward;
    // A signed distance's gradient is radial: the normal should be within a few degrees of it.
    EXPECT_GT(dot(n, radial) / length(radial), 0.99) << "vertex " << i;
    if (HasFailure()) break;
  }
  EXPECT_EQ(inward, 0u);
  // Triangles are counter-clockwise from outside: their geometric normals point away from the centre.
  std::size_t flipped = 0;
  for (const auto& t : mesh.triangles) {
    const Vec3d p0 = toDouble(mesh.positions[t[0]]);
    const Vec3d fn = cross(toDouble(mesh.positions[t[1]]) - p0, toDouble(mesh.positions[t[2]]) - p0);
    if (dot(fn, p0 - centre) < 0) ++flipped;
  }
  EXPECT_EQ(flipped, 0u);
}

TEST(MarchingCubes, TorusAt128HasTheAnalyticVolumeAreaAndGenusOne) {
  const double major = 0.55, minor = 0.22;
  const auto grid = sampleCube(128, 1.0, test::torusField(major, minor));
  const MeshStats s = computeMeshStats(extract(grid.view()));
  const double pi2 = std::numbers::pi * std::numbers::pi;
  const double volume = 2 * pi2 * major * minor * minor, area = 4 * pi2 * major * minor;
  EXPECT_NEAR(s.volume, volume, 0.01 * volume);
  EXPECT_NEAR(s.area, area, 0.01 * area);
  expectClosedManifold(s, "torus");
  EXPECT_EQ(s.eulerCharacteristic, 0);
  EXPECT_EQ(s.components, 1u);
}

TEST(MarchingCubes, RandomGaussianSumsAreClosedManifolds) {
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    const auto grid = sampleCube(33 + static_cast<int>(seed), 1.0, test::randomGaussians(seed, 12));
    for (float iso : {0.05f, 0.3f}) {
      const MeshStats s = computeMeshStats(extract(grid.view(), iso));
      if (s.faces == 0) continue;  // nothing above this level for this seed
      expectClosedManifold(s, "seed " + std::to_string(seed) + " iso " + std::to_string(iso));
      EXPECT_GT(s.volume, 0) << "seed " << seed;
    }
  }
}

TEST(MarchingCubes, NoisyGridsWithAmbiguousCellsAreClosedManifolds) {
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    const auto grid = test::noiseGrid(seed, 17, 13 + static_cast<int>(seed), 11);
    for (float iso : {-0.5f, 0.0f, 0.5f}) {
      const MeshStats s = computeMeshStats(extract(grid.view(), iso));
      ASSERT_GT(s.faces, 0u);
      expectClosedManifold(s, "noise seed " + std::to_string(seed) + " iso " + std::to_string(iso));
      EXPECT_GT(s.volume, 0);
      if (iso > 0) EXPECT_GT(s.components, 1u) << "a quarter of the samples inside: many separate pieces";
    }
  }
}

TEST(MarchingCubes, SamplesExactlyAtTheIsoLevelGiveNoCoincidentVertices) {
  // A quantised field: many samples equal the iso-level exactly.
  auto grid = test::noiseGrid(7, 12, 12, 12);
  for (float& v : grid.values) v = std::round(v * 2.0f) / 2.0f;
  const Mesh mesh = extract(grid.view(), 0.0f);
  const MeshStats s = computeMeshStats(mesh);
  expectClosedManifold(s, "quantised noise");
  for (const auto& t : mesh.triangles) {
    const Vec3d p0 = toDouble(mesh.positions[t[0]]), p1 = toDouble(mesh.positions[t[1]]),
                p2 = toDouble(mesh.positions[t[2]]);
    EXPECT_GT(length(p1 - p0), 0);
    EXPECT_GT(length(p2 - p1), 0);
    EXPECT_GT(length(p0 - p2), 0);
  }
}

TEST(MarchingCubes, AFullGridIsClosedByItsBoxFaces) {
  const auto grid = sampleCube(9, 1.0, [](const Vec3d&) { return 1.0; });
  const Mesh mesh = extract(grid.view());
  const MeshStats s = computeMeshStats(mesh);
  expectClosedManifold(s, "full grid");
  EXPECT_NEAR(s.volume, 8.0, 1e-4);
  EXPECT_NEAR(s.area, 24.0, 1e-4);
  EXPECT_EQ(s.eulerCharacteristic, 2);
  for (std::size_t i = 0; i < mesh.positions.size(); ++i)  // cap normals point out of the box
    EXPECT_GT(dot(toDouble(mesh.normals[i]), toDouble(mesh.positions[i])), 0) << "vertex " << i;
}

TEST(MarchingCubes, ASingleFullCellIsItsBox) {
  const std::vector<float> values(8, 1.0f);
  const Mesh mesh = extract(ScalarGridView{{2, 2, 2, {{0, 0, 0}, {1, 2, 3}}}, values.data()});
  const MeshStats s = computeMeshStats(mesh);
  expectClosedManifold(s, "one cell");
  EXPECT_NEAR(s.volume, 6.0, 1e-6);
  EXPECT_EQ(s.vertices, 8u);
}

TEST(MarchingCubes, ASphereCutByTheBorderIsClosedAndHasTheCutVolume) {
  // A sphere centred on the grid's +x face: only its inner half is inside the grid.
  const double r = 0.5;
  const auto grid = sampleCube(96, 1.0, test::sphereField({1.0, 0.02, -0.03}, r));
  const MeshStats s = computeMeshStats(extract(grid.view()));
  expectClosedManifold(s, "half sphere");
  EXPECT_EQ(s.eulerCharacteristic, 2);
  const double volume = 2.0 / 3.0 * std::numbers::pi * r * r * r;
  const double area = 2 * std::numbers::pi * r * r + std::numbers::pi * r * r;  // dome + flat cap
  EXPECT_NEAR(s.volume, volume, 0.01 * volume);
  EXPECT_NEAR(s.area, area, 0.01 * area);
}

TEST(MarchingCubes, BlobsAcrossCornersAndEdgesOfTheBoxAreClosed) {
  const auto grid = sampleCube(40, 1.0, [](const Vec3d& p) {
    const Vec3d corners[] = {{1, 1, 1}, {-1, 1, -1}, {1, -1, 0}, {0, 0, -1}};
    double v = -0.5;
    for (const Vec3d& c : corners) v = std::max(v, 0.6 - length(p - c));
    return v;
  });
  const MeshStats s = computeMeshStats(extract(grid.view()));
  expectClosedManifold(s, "corner blobs");
  EXPECT_EQ(s.components, 4u);
  EXPECT_EQ(s.eulerCharacteristic, 8);
}

TEST(MarchingCubes, NaNSamplesCountAsOutside) {
  auto grid = sampleCube(24, 1.0, test::sphereField({0, 0, 0}, 0.7));
  grid.values[(12 * 24 + 12) * 24 + 12] = std::numeric_limits<float>::quiet_NaN();  // a hole in the middle
  grid.values[(12 * 24 + 12) * 24 + 3] = std::numeric_limits<float>::infinity();
  const Mesh mesh = extract(grid.view());
  const MeshStats s = computeMeshStats(mesh);
  expectClosedManifold(s, "NaN sample");
  EXPECT_EQ(s.components, 2u);  // the sphere and the little cavity around the NaN
  for (const Vec3f& p : mesh.positions) ASSERT_TRUE(std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z));
  for (const Vec3f& n : mesh.normals) ASSERT_TRUE(std::isfinite(n.x) && std::isfinite(n.y) && std::isfinite(n.z));
}

TEST(MarchingCubes, APlaneSourceGivesTheSameMeshAsTheDenseGrid) {
  const auto grid = sampleCube(30, 1.0, test::randomGaussians(3, 10));
  const Mesh dense = extract(grid.view(), 0.1f);
  int calls = 0;
  const std::size_t planeSize = 30 * 30;
  const std::optional<Mesh> streamed = marchingCubes(
      grid.shape,
      [&](int z, std::span<float> plane) {
        ++calls;
        ASSERT_EQ(plane.size(), planeSize);
        std::copy_n(grid.values.begin() + static_cast<std::ptrdiff_t>(z * planeSize), planeSize, plane.begin());
      },
      0.1f);
  ASSERT_TRUE(streamed.has_value());
  EXPECT_EQ(calls, 30) << "each plane is produced once";
  ASSERT_EQ(streamed->positions.size(), dense.positions.size());
  ASSERT_EQ(streamed->triangles, dense.triangles);
  for (std::size_t i = 0; i < dense.positions.size(); ++i) {
    EXPECT_EQ(streamed->positions[i].x, dense.positions[i].x);
    EXPECT_EQ(streamed->normals[i].z, dense.normals[i].z);
  }
}

TEST(MarchingCubes, ProgressRisesToOneAndCancelStopsEarly) {
  const auto grid = sampleCube(64, 1.0, test::sphereField({0, 0, 0}, 0.5));
  std::vector<double> fractions;
  MarchingCubesOptions options;
  options.progress = [&](double f) { fractions.push_back(f); };
  ASSERT_TRUE(marchingCubes(grid.view(), 0.0f, options).has_value());
  ASSERT_EQ(fractions.size(), 63u);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_DOUBLE_EQ(fractions.back(), 1.0);

  std::atomic<bool> cancel{false};
  int slabs = 0;
  options.cancel = &cancel;
  options.progress = [&](double f) {
    ++slabs;
    if (f > 0.25) cancel = true;  // as a UI's cancel button would, from another thread
  };
  EXPECT_FALSE(marchingCubes(grid.view(), 0.0f, options).has_value());
  EXPECT_EQ(slabs, 16) << "no slab runs after the flag is set";

  slabs = 0;
  EXPECT_FALSE(marchingCubes(grid.view(), 0.0f, options).has_value()) << "already cancelled";
  EXPECT_EQ(slabs, 0);
}

TEST(MarchingCubes, RejectsGridsItCannotMarch) {
  std::vector<float> values(8, 1.0f);
  EXPECT_THROW(marchingCubes(ScalarGridView{{1, 2, 4, {{0, 0, 0}, {1, 1, 1}}}, values.data()}, 0.0f),
               std::invalid_argument);
  EXPECT_THROW(marchingCubes(ScalarGridView{{2, 2, 2, {{0, 0, 0}, {1, 1, 1}}}, nullptr}, 0.0f), std::invalid_argument);
  EXPECT_THROW(marchingCubes(ScalarGridView{{2, 2, 2, {{0, 0, 0}, {1, 0, 1}}}, values.data()}, 0.0f),
               std::invalid_argument);
  const std::optional<Mesh> none = marchingCubes(ScalarGridView{{2, 2, 2, {{0, 0, 0}, {1, 1, 1}}}, values.data()}, 2.0f);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->triangles.empty()) << "nothing above the iso-level: an empty mesh, not an error";
}

TEST(MarchingCubes, VoxelCentreBoxMatchesTheOccupancyBakeConvention) {
  const GridBox box = voxelCentreBox(4, 0.5);  // centres at -0.375, -0.125, 0.125, 0.375
  EXPECT_DOUBLE_EQ(box.min.x, -0.375);
  EXPECT_DOUBLE_EQ(box.max.z, 0.375);
}

}  // namespace
}  // namespace fieldscope
