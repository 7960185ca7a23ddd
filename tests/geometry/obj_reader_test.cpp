#include "model/geometry/obj_reader.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "model/geometry/mesh_stats.h"
#include "tests/geometry/test_files.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

const char* kTetrahedron =
    "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\n"
    "f 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n";

// The message of the error reading `text`, or "" when it reads.
std::string errorOf(const std::string& text, const ObjReadOptions& options = {}) {
  try {
    readObjText(text, "user.obj", options);
    return "";
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

void expectError(const std::string& text, const std::string& part) {
  const std::string message = errorOf(text);
  EXPECT_NE(message.find("cannot read OBJ 'user.obj'"), std::string::npos) << "message: " << message;
  EXPECT_NE(message.find(part), std::string::npos) << "message: " << message;
}

TEST(ObjReader, ReadsAClosedTetrahedron) {
  const ObjReadResult r = readObjText(kTetrahedron, "tet.obj");
  EXPECT_EQ(r.mesh.positions.size(), 4u);
  EXPECT_EQ(r.mesh.triangles.size(), 4u);
  EXPECT_TRUE(r.mesh.colours.empty());
  EXPECT_TRUE(r.warnings.empty());
  const MeshStats s = computeMeshStats(r.mesh);
  EXPECT_TRUE(s.closedManifold());
  EXPECT_NEAR(s.volume, 1.0 / 6.0, 1e-7);
}

TEST(ObjReader, EmptyFilesAreRejected) {
  expectError("", "empty");
  expectError("   \n\n# only a comment\n", "empty");
  expectError("v 0 0 0\nv 1 0 0\nv 0 1 0\n", "no faces");
}

TEST(ObjReader, NonFiniteAndHugeCoordinatesAreRejectedWithTheLine) {
  expectError("v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n", "line 2: coordinate 'nan' is not finite");
  expectError("v 0 0 0\nv 1 0 0\nv 0 inf 0\nf 1 2 3\n", "line 3");
  expectError("v 0 0 0\nv 1e30 0 0\nv 0 1 0\nf 1 2 3\n", "line 2: coordinate '1e30' is beyond");
  expectError("v 0 0 0\nv 1e999 0 0\nv 0 1 0\nf 1 2 3\n", "out of range");
  expectError("v 0 0 0\nv 1,5 0 0\nv 0 1 0\nf 1 2 3\n", "line 2: coordinate '1,5' is not a number");
  expectError("v 0 0\n", "line 1: a vertex needs 3 coordinates");
  // The limit is an option: a survey in millimetres may need more.
  ObjReadOptions wide;
  wide.maxAbsCoordinate = 1e31;
  EXPECT_EQ(errorOf("v 0 0 0\nv 1e30 0 0\nv 0 1 0\nf 1 2 3\n", wide), "");
}

TEST(ObjReader, BrokenIndicesAreRejectedWithTheLine) {
  expectError("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n", "line 4: face uses vertex 4 but the file has 3 vertices");
  expectError("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n", "line 4: face index 0 is not allowed");
  expectError("v 0 0 0\nv 1 0 0\nv 0 1 0\nf -1 -2 -4\n", "line 4: relative face index -4 refers before the first vertex");
  expectError("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 x\n", "line 4: face vertex 'x' is not an index");
  expectError("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 99999999999\n", "too large");
  expectError("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1/0 2 3\n", "line 4");  // tinyobjloader's own message
}

TEST(ObjReader, RelativeIndicesAndCrlfLineEndingsWork) {
  const ObjReadResult r = readObjText("v 0 0 0\r\nv 1 0 0\r\nv 0 1 0\r\nf -3 -2 -1\r\n", "crlf.obj");
  ASSERT_EQ(r.mesh.triangles.size(), 1u);
  EXPECT_EQ(r.mesh.triangles[0], (std::array<std::uint32_t, 3>{0, 1, 2}));
  // A bare "\r" ends a line too (old Mac files), so the error's line number still matches.
  expectError("v 0 0 0\rv 1 0 0\rv nan 1 0\rf 1 2 3\r", "line 3");
}

TEST(ObjReader, QuadsAndPolygonsAreTriangulatedKeepingOrientation) {
  // A unit cube of quads: 6 quads -> 12 triangles, closed and outward (volume +1).
  const std::string cube =
      "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 1\nv 1 0 1\nv 1 1 1\nv 0 1 1\n"
      "f 1 4 3 2\nf 5 6 7 8\nf 1 2 6 5\nf 2 3 7 6\nf 3 4 8 7\nf 4 1 5 8\n";
  const ObjReadResult r = readObjText(cube, "cube.obj");
  EXPECT_EQ(r.mesh.triangles.size(), 12u);
  const MeshStats s = computeMeshStats(r.mesh);
  EXPECT_TRUE(s.closedManifold());
  EXPECT_NEAR(s.volume, 1.0, 1e-6);
  // A concave (L-shaped) hexagon of area 3: a fan from vertex 1 would cover area outside it.
  const std::string ell = "v 0 0 0\nv 2 0 0\nv 2 1 0\nv 1 1 0\nv 1 2 0\nv 0 2 0\nf 4 5 6 1 2 3\n";
  const ObjReadResult l = readObjText(ell, "ell.obj");
  EXPECT_EQ(l.mesh.triangles.size(), 4u);
  EXPECT_NEAR(computeMeshStats(l.mesh).area, 3.0, 1e-6);
  for (const auto& t : l.mesh.triangles) {  // all counter-clockwise seen from +z, like the loop
    const Vec3d a = toDouble(l.mesh.positions[t[0]]);
    EXPECT_GT(cross(toDouble(l.mesh.positions[t[1]]) - a, toDouble(l.mesh.positions[t[2]]) - a).z, 0);
  }
}

TEST(ObjReader, MissingMaterialFileIsIgnored) {
  const ObjReadResult r = readObjText(std::string("mtllib missing.mtl\nusemtl shiny\n") + kTetrahedron, "m.obj");
  EXPECT_EQ(r.mesh.triangles.size(), 4u);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.back().find("materials"), std::string::npos);
}

TEST(ObjReader, DegenerateFacesAreDroppedWithAWarning) {
  const ObjReadResult r = readObjText(std::string(kTetrahedron) + "f 1 2\nf 1 1 2\n", "d.obj");
  EXPECT_EQ(r.mesh.triangles.size(), 4u);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].find("line 9"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[1].find("1 triangles that repeat a vertex"), std::string::npos) << r.warnings[1];
}

TEST(ObjReader, VertexColoursAreKeptWhenEveryVertexHasOne) {
  const ObjReadResult r =
      readObjText("v 0 0 0 1 0 0\nv 1 0 0 0 1 0\nv 0 1 0 0 0 2\nf 1 2 3\n", "c.obj");
  ASSERT_EQ(r.mesh.colours.size(), 3u);
  EXPECT_EQ(r.mesh.colours[1].y, 1.0f);
  EXPECT_EQ(r.mesh.colours[2].z, 1.0f) << "clamped to [0, 1]";
  const ObjReadResult partial = readObjText("v 0 0 0 1 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", "p.obj");
  EXPECT_TRUE(partial.mesh.colours.empty());
}

TEST(ObjReader, NormalisesToTheUnitCube) {
  ObjReadOptions options;
  options.normaliseToUnitCube = true;
  const ObjReadResult r = readObjText("v 10 20 30\nv 14 20 30\nv 10 22 30\nv 10 20 31\nf 1 2 3\nf 1 2 4\n", "n.obj",
                                      options);
  EXPECT_FLOAT_EQ(r.mesh.positions[0].x, -0.5f);
  EXPECT_FLOAT_EQ(r.mesh.positions[1].x, 0.5f);
  EXPECT_FLOAT_EQ(r.mesh.positions[2].y, 0.25f);
  EXPECT_FLOAT_EQ(r.mesh.positions[3].z, 0.125f);
  EXPECT_EQ(errorOf("v 1 1 1\nv 1 1 1\nv 1 1 1\nf 1 2 3\n"), "") << "reads without the option";
  EXPECT_NE(errorOf("v 1 1 1\nv 1 1 1\nv 1 1 1\nf 1 2 3\n", options).find("one point"), std::string::npos);
}

TEST(ObjReader, FileErrorsNameTheFile) {
  const fs::path dir = test::freshTempDir();
  try {
    readObj(dir / "absent.obj");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "absent.obj").string()), std::string::npos) << e.what();
  }
  EXPECT_THROW(readObj(dir), std::runtime_error);
  test::writeText(dir / "empty.obj", "");
  try {
    readObj(dir / "empty.obj");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("empty.obj"), std::string::npos) << e.what();
  }
  test::writeText(dir / "tet.obj", kTetrahedron);
  EXPECT_EQ(readObj(dir / "tet.obj").mesh.triangles.size(), 4u);
}

}  // namespace
}  // namespace fieldscope
