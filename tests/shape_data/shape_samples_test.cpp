// A shape's samples: surface points on the exact surface with outward unit normals, the query
// mix (uniform and near-surface), labels from the exact test or the winding number, and
// reproducibility from the seed.
#include <gtest/gtest.h>

#include <cmath>

#include "model/shape_data/procedural_shapes.h"
#include "model/shape_data/shape_samples.h"
#include "tests/shape_data/test_support.h"

namespace fieldscope {
namespace {

Vec3d point(const std::vector<float>& v, std::size_t i) { return {v[3 * i], v[3 * i + 1], v[3 * i + 2]}; }

ShapeSampleOptions small() {
  ShapeSampleOptions o;
  o.surfacePoints = 2000;
  o.queryPoints = 6000;
  return o;
}

TEST(ShapeSamples, ProceduralSamplesAreOnTheExactSurfaceAndLabelledExactly) {
  const ProceduralShape shape = makeShape("bracket", 4);  // sharp edges and bored holes
  const SolidMesh m = *meshSolid(shape.solid, {48});
  const ShapeRecord r = *sampleSolidShape(m.mesh, m.solid, small(), 17);
  ASSERT_EQ(r.surfaceCount(), 2000u);
  ASSERT_EQ(r.queryCount(), 6000u);
  checkShapeRecord(r, "samples");
  for (std::size_t i = 0; i < r.surfaceCount(); ++i) {
    const Vec3d p = point(r.surface, i), n = point(r.normals, i);
    ASSERT_LT(std::abs(m.solid.distance(p)), 1e-5);  // projected onto the solid, not the 48^3 mesh
    ASSERT_NEAR(length(n), 1.0, 1e-5);
    // Outward: a small step along the normal leaves the solid, a step against it enters.
    ASSERT_FALSE(m.solid.inside(p + 2e-3 * n)) << i;
  }
  std::size_t uniform = 0, near = 0, inside = 0;
  for (std::size_t i = 0; i < r.queryCount(); ++i) {
    const Vec3d q = point(r.queries, i);
    ASSERT_EQ(r.labels[i], m.solid.inside(q) ? 1 : 0);
    inside += r.labels[i];
    const double d = std::abs(m.solid.distance(q));
    near += d < 0.06;  // 3 sigma
    uniform += std::abs(q.x) <= 0.55 && std::abs(q.y) <= 0.55 && std::abs(q.z) <= 0.55;
  }
  EXPECT_GT(near, 3000u);      // the near half, plus the uniform points that fall near
  EXPECT_GT(uniform, 5500u);   // near points rarely leave the box
  EXPECT_GT(inside, 600u);     // both labels present
  EXPECT_LT(inside, 5400u);
  // The kinds are shuffled: the first tenth has near points too.
  std::size_t nearEarly = 0;
  for (std::size_t i = 0; i < 600; ++i) nearEarly += std::abs(m.solid.distance(point(r.queries, i))) < 0.06;
  EXPECT_GT(nearEarly, 200u);
}

TEST(ShapeSamples, SameSeedSameSamplesOtherSeedOthers) {
  const SolidMesh m = *meshSolid(makeShape("ring", 2).solid, {32});
  const ShapeRecord a = *sampleSolidShape(m.mesh, m.solid, small(), 5);
  const ShapeRecord b = *sampleSolidShape(m.mesh, m.solid, small(), 5);
  const ShapeRecord c = *sampleSolidShape(m.mesh, m.solid, small(), 6);
  EXPECT_EQ(encodeShapeRecord(a), encodeShapeRecord(b));
  EXPECT_NE(encodeShapeRecord(a), encodeShapeRecord(c));
}

TEST(ShapeSamples, UserMeshIsLabelledByWindingNumberWithOutwardNormals) {
  Mesh sphere = test::sphereMesh(32);
  // A few triangles facing the wrong way: their normals must still come out outward.
  for (std::size_t i = 0; i < sphere.triangles.size(); i += 50) std::swap(sphere.triangles[i][1], sphere.triangles[i][2]);
  sphere.normals.clear();
  const ShapeRecord r = *sampleMeshShape(sphere, small(), 3);
  double alignment = 0;  // cosine between the normal and the radius
  for (std::size_t i = 0; i < r.surfaceCount(); ++i) {
    const double c = dot(point(r.normals, i), point(r.surface, i)) / length(point(r.surface, i));
    ASSERT_GT(c, 0) << i;  // every one outward
    alignment += c;
  }
  EXPECT_GT(alignment / r.surfaceCount(), 0.95);  // and close to the sphere's normal (face normals)
  std::size_t wrong = 0, far = 0;
  for (std::size_t i = 0; i < r.queryCount(); ++i) {
    const double radius = length(point(r.queries, i));
    if (std::abs(radius - 0.5) < 0.01) continue;
    ++far;
    wrong += r.labels[i] != (radius < 0.5 ? 1 : 0);
  }
  EXPECT_GT(far, 3000u);
  // A wrong-facing triangle disturbs w only close to itself.
  EXPECT_LT(wrong, far / 200);
}

TEST(ShapeSamples, InsideOutMeshIsTurnedAndAFlatSheetIsRefused) {
  Mesh sphere = test::sphereMesh(24);
  for (auto& t : sphere.triangles) std::swap(t[1], t[2]);
  const ShapeRecord r = *sampleMeshShape(sphere, small(), 1);
  std::size_t inside = 0;
  for (std::size_t i = 0; i < r.queryCount(); ++i) inside += r.labels[i];
  EXPECT_GT(inside, 500u);
  EXPECT_TRUE(turnOutward(sphere));
  EXPECT_FALSE(turnOutward(sphere));

  Mesh sheet;  // a square: no volume
  sheet.positions = {{-0.5f, 0, -0.5f}, {0.5f, 0, -0.5f}, {0.5f, 0, 0.5f}, {-0.5f, 0, 0.5f}};
  sheet.triangles = {{0, 2, 1}, {0, 3, 2}};
  EXPECT_THROW(sampleMeshShape(sheet, small(), 1), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
