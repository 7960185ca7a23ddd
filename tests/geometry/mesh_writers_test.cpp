#include <gtest/gtest.h>
#include <tiny_obj_loader.h>

#include <cstring>
#include <stdexcept>

#include "model/geometry/marching_cubes.h"
#include "model/geometry/mesh_stats.h"
#include "model/geometry/obj_reader.h"
#include "model/geometry/obj_writer.h"
#include "model/geometry/ply_writer.h"
#include "tests/geometry/test_fields.h"
#include "tests/geometry/test_files.h"
#include "tests/geometry/test_meshes.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

Mesh sampleMesh() {
  const auto grid = test::sampleCube(20, 1.0, test::sphereField({0.05, 0, 0}, 0.6));
  Mesh mesh = *marchingCubes(grid.view(), 0.0f);
  for (const Vec3f& p : mesh.positions) mesh.colours.push_back({0.5f + 0.5f * p.x, 0.25f, 1.0f});
  return mesh;
}

// A PLY reader just for what writePly produces (the test checks the bytes, not a library).
Mesh readOurPly(const fs::path& path) {
  const std::string bytes = test::readAll(path);
  const std::size_t headerEnd = bytes.find("end_header\n");
  if (headerEnd == std::string::npos) throw std::runtime_error("no end_header");
  const std::string header = bytes.substr(0, headerEnd);
  if (header.rfind("ply\nformat binary_little_endian 1.0\n", 0) != 0) throw std::runtime_error("bad magic");
  auto count = [&](const std::string& element) {
    const std::size_t at = header.find("element " + element + " ");
    return std::stoul(header.substr(at + 9 + element.size()));
  };
  const bool normals = header.find("property float nx") != std::string::npos;
  const bool colours = header.find("property uchar red") != std::string::npos;
  Mesh m;
  std::size_t at = headerEnd + std::strlen("end_header\n");
  auto take = [&](void* out, std::size_t size) {
    if (at + size > bytes.size()) throw std::runtime_error("truncated");
    std::memcpy(out, bytes.data() + at, size);  // the test host is little-endian like the file
    at += size;
  };
  for (std::size_t i = 0, n = count("vertex"); i < n; ++i) {
    Vec3f p, nn;
    take(&p, 12);
    m.positions.push_back(p);
    if (normals) {
      take(&nn, 12);
      m.normals.push_back(nn);
    }
    if (colours) {
      unsigned char rgb[3];
      take(rgb, 3);
      m.colours.push_back({rgb[0] / 255.0f, rgb[1] / 255.0f, rgb[2] / 255.0f});
    }
  }
  for (std::size_t i = 0, n = count("face"); i < n; ++i) {
    unsigned char k;
    std::int32_t v[3];
    take(&k, 1);
    if (k != 3) throw std::runtime_error("not a triangle");
    take(v, 12);
    m.triangles.push_back({std::uint32_t(v[0]), std::uint32_t(v[1]), std::uint32_t(v[2])});
  }
  if (at != bytes.size()) throw std::runtime_error("trailing bytes");
  return m;
}

TEST(MeshWriters, ObjReadsBackWithTinyobjloaderExactly) {
  const fs::path path = test::freshTempDir() / "sphere.obj";
  const Mesh mesh = sampleMesh();
  writeObj(path, mesh);
  tinyobj::attrib_t attrib;
  std::vector<tinyobj::shape_t> shapes;
  std::vector<tinyobj::material_t> materials;
  std::string warn, err;
  ASSERT_TRUE(tinyobj::LoadObj(&attrib, &shapes, &materials, &warn, &err, path.c_str(), nullptr, false)) << err;
  ASSERT_EQ(attrib.vertices.size(), 3 * mesh.positions.size());
  ASSERT_EQ(attrib.normals.size(), 3 * mesh.normals.size());
  ASSERT_EQ(attrib.colors.size(), 3 * mesh.colours.size());
  for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
    // Shortest round-trip formatting: the floats come back bit for bit.
    ASSERT_EQ(attrib.vertices[3 * i], mesh.positions[i].x);
    ASSERT_EQ(attrib.vertices[3 * i + 1], mesh.positions[i].y);
    ASSERT_EQ(attrib.vertices[3 * i + 2], mesh.positions[i].z);
    ASSERT_EQ(attrib.normals[3 * i + 2], mesh.normals[i].z);
    ASSERT_EQ(attrib.colors[3 * i], mesh.colours[i].x);
  }
  ASSERT_EQ(shapes.size(), 1u);
  ASSERT_EQ(shapes[0].mesh.num_face_vertices.size(), mesh.triangles.size());
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t)
    for (int k = 0; k < 3; ++k) {
      const tinyobj::index_t& index = shapes[0].mesh.indices[3 * t + k];
      ASSERT_EQ(index.vertex_index, static_cast<int>(mesh.triangles[t][k]));
      ASSERT_EQ(index.normal_index, static_cast<int>(mesh.triangles[t][k]));
    }
}

TEST(MeshWriters, ObjWithoutNormalsUsesPlainFaces) {
  const fs::path path = test::freshTempDir() / "cube.obj";
  writeObj(path, test::cube());
  const std::string text = test::readAll(path);
  EXPECT_NE(text.find("\nf 1 3 2\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("vn"), std::string::npos);
}

TEST(MeshWriters, OurObjReaderGetsBackAClosedManifold) {
  const fs::path path = test::freshTempDir() / "sphere.obj";
  const Mesh mesh = sampleMesh();
  writeObj(path, mesh);
  const ObjReadResult back = readObj(path);
  EXPECT_EQ(back.mesh.positions.size(), mesh.positions.size());
  EXPECT_EQ(back.mesh.triangles, mesh.triangles);
  EXPECT_EQ(back.mesh.colours.size(), mesh.colours.size());
  EXPECT_TRUE(computeMeshStats(back.mesh).closedManifold());
}

TEST(MeshWriters, PlyReadsBackWithCountsCoordinatesAndColours) {
  const fs::path path = test::freshTempDir() / "sphere.ply";
  const Mesh mesh = sampleMesh();
  writePly(path, mesh);
  const Mesh back = readOurPly(path);
  ASSERT_EQ(back.positions.size(), mesh.positions.size());
  ASSERT_EQ(back.normals.size(), mesh.normals.size());
  ASSERT_EQ(back.colours.size(), mesh.colours.size());
  EXPECT_EQ(back.triangles, mesh.triangles);
  for (std::size_t i = 0; i < mesh.positions.size(); ++i) {
    ASSERT_EQ(back.positions[i].x, mesh.positions[i].x);
    ASSERT_EQ(back.positions[i].z, mesh.positions[i].z);
    ASSERT_EQ(back.normals[i].y, mesh.normals[i].y);
    ASSERT_NEAR(back.colours[i].x, mesh.colours[i].x, 0.5 / 255 + 1e-6);
  }
}

TEST(MeshWriters, PlyOfAPlainMeshHasOnlyPositionsAndFaces) {
  const fs::path path = test::freshTempDir() / "cube.ply";
  writePly(path, test::cube());
  const Mesh back = readOurPly(path);
  EXPECT_EQ(back.positions.size(), 8u);
  EXPECT_TRUE(back.normals.empty());
  EXPECT_EQ(back.triangles.size(), 12u);
  EXPECT_EQ(test::readAll(path).size(), test::readAll(path).find("end_header\n") + 11 + 8 * 12 + 12 * 13);
}

TEST(MeshWriters, UnwritablePathThrowsNamingTheFileAndLeavesNothing) {
  for (const char* ext : {".obj", ".ply"}) {
    const fs::path path = fs::path("/nonexistent-fieldscope-dir") / (std::string("mesh") + ext);
    try {
      if (std::string(ext) == ".obj") writeObj(path, test::cube());
      else writePly(path, test::cube());
      FAIL() << "expected an error for " << path;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path));
  }
  // A folder where the file should go.
  const fs::path dir = test::freshTempDir();
  fs::create_directory(dir / "taken.obj");
  EXPECT_THROW(writeObj(dir / "taken.obj", test::cube()), std::runtime_error);
  EXPECT_EQ(test::entriesIn(dir), 1u);
}

TEST(MeshWriters, InvalidMeshThrowsAndKeepsTheExistingFile) {
  const fs::path dir = test::freshTempDir();
  const fs::path obj = dir / "keep.obj", ply = dir / "keep.ply";
  test::writeText(obj, "old");
  test::writeText(ply, "old");
  Mesh bad = test::cube();
  bad.triangles.push_back({0, 1, 99});
  EXPECT_THROW(writeObj(obj, bad), std::runtime_error);
  EXPECT_THROW(writePly(ply, bad), std::runtime_error);
  bad = test::cube();
  bad.normals.resize(3);
  EXPECT_THROW(writeObj(obj, bad), std::runtime_error);
  bad = test::cube();
  bad.positions[2].y = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(writePly(ply, bad), std::runtime_error);
  EXPECT_EQ(test::readAll(obj), "old");
  EXPECT_EQ(test::readAll(ply), "old");
  EXPECT_EQ(test::entriesIn(dir), 2u) << "no temporary file left behind";
}

}  // namespace
}  // namespace fieldscope
