// The data set folder: layout, split, manifest, reproducible bytes, the refusal to write into
// someone else's folder, replacing a previous set, cancelling without leftovers, and a folder of
// the user's meshes with a broken one among them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "model/geometry/obj_reader.h"
#include "model/geometry/obj_writer.h"
#include "model/shape_data/shape_dataset.h"
#include "model/shape_data/shape_record.h"
#include "tests/shape_data/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

ShapeDatasetOptions tiny(int count) {
  ShapeDatasetOptions o;
  o.count = count;
  o.surfacePoints = 100;
  o.queryPoints = 300;
  o.meshGrid = 24;
  o.threads = 2;
  return o;
}

nlohmann::json manifestOf(const fs::path& dir) { return nlohmann::json::parse(test::readAll(dir / "manifest.json")); }

// Every file below `dir` (relative path -> bytes).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).generic_string()] = test::readAll(e.path());
  return files;
}

TEST(ShapeDataset, MakesTrainTestAndManifest) {
  const fs::path dir = test::freshTempDir() / "set";
  int lastTotal = 0;
  ShapeDatasetOptions o = tiny(12);
  o.progress = [&](int, int total) { lastTotal = total; };
  const ShapeDatasetSummary s = makeShapeDataset(dir, o);
  EXPECT_EQ(s.train, 11);
  EXPECT_EQ(s.test, 1);  // index 9
  EXPECT_FALSE(s.cancelled);
  EXPECT_EQ(lastTotal, 12);
  EXPECT_FALSE(fs::exists(dir / kShapeDatasetPartial));
  EXPECT_TRUE(isShapeDataset(dir));

  const nlohmann::json m = manifestOf(dir);
  EXPECT_EQ(m["format"], kShapeDatasetFormat);
  EXPECT_EQ(m["generator"], "procedural");
  EXPECT_EQ(m["counts"]["train"], 11);
  EXPECT_EQ(m["counts"]["test"], 1);
  ASSERT_EQ(m["shapes"].size(), 12u);
  for (int i = 0; i < 12; ++i) {
    const nlohmann::json& e = m["shapes"][static_cast<std::size_t>(i)];
    const std::string split = i == 9 ? "test" : "train";
    EXPECT_EQ(e["split"], split);
    EXPECT_EQ(e["file"], split + "/shape_" + std::string(i < 10 ? "0000" : "000") + std::to_string(i) + ".shape");
    EXPECT_FALSE(e["family"].get<std::string>().empty());
    EXPECT_TRUE(e["params"].is_object());
    const ShapeRecord r = readShapeRecord(dir / e["file"].get<std::string>());
    EXPECT_EQ(r.surfaceCount(), 100u);
    EXPECT_EQ(r.queryCount(), 300u);
    const Mesh mesh = readObj(dir / e["mesh"].get<std::string>()).mesh;
    EXPECT_EQ(mesh.triangles.size(), e["triangles"].get<std::size_t>());
  }
  EXPECT_TRUE(fs::exists(dir / "test" / "shape_00009.shape"));
  EXPECT_TRUE(fs::exists(dir / "train" / "shape_00011.obj"));
}

TEST(ShapeDataset, SameSeedGivesIdenticalBytesWhateverTheThreads) {
  const fs::path root = test::freshTempDir();
  ShapeDatasetOptions a = tiny(6), b = tiny(6);
  a.seed = b.seed = 42;
  a.threads = 1;
  makeShapeDataset(root / "a", a);
  makeShapeDataset(root / "b", b);
  const auto filesA = snapshot(root / "a"), filesB = snapshot(root / "b");
  EXPECT_EQ(filesA.size(), 13u);  // 6 x (obj, shape) + manifest
  EXPECT_TRUE(filesA == filesB);
  b.seed = 43;
  makeShapeDataset(root / "c", b);
  EXPECT_NE(test::readAll(root / "a" / "manifest.json"), test::readAll(root / "c" / "manifest.json"));
}

TEST(ShapeDataset, RefusesAForeignFolderUnlessForced) {
  const fs::path dir = test::freshTempDir();
  test::writeText(dir / "notes.txt", "mine");
  try {
    makeShapeDataset(dir, tiny(2));
    FAIL() << "wrote into a foreign folder";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
  }
  EXPECT_EQ(test::entriesIn(dir), 1u);
  ShapeDatasetOptions forced = tiny(2);
  forced.force = true;
  makeShapeDataset(dir, forced);
  EXPECT_EQ(test::readAll(dir / "notes.txt"), "mine");
  EXPECT_TRUE(isShapeDataset(dir));
}

TEST(ShapeDataset, ReplacesAPreviousSetWithoutStaleFiles) {
  const fs::path dir = test::freshTempDir() / "set";
  makeShapeDataset(dir, tiny(12));
  makeShapeDataset(dir, tiny(3));  // a previous set: no --force needed
  EXPECT_FALSE(fs::exists(dir / "train" / "shape_00005.shape"));
  EXPECT_FALSE(fs::exists(dir / "test" / "shape_00009.shape"));
  EXPECT_EQ(manifestOf(dir)["shapes"].size(), 3u);
  EXPECT_EQ(snapshot(dir).size(), 7u);
}

TEST(ShapeDataset, CancelLeavesNothingBehind) {
  const fs::path root = test::freshTempDir();
  ShapeDatasetOptions o = tiny(200);
  o.cancelled = [] { return true; };
  const ShapeDatasetSummary s = makeShapeDataset(root / "new", o);
  EXPECT_TRUE(s.cancelled);
  EXPECT_FALSE(fs::exists(root / "new"));  // created by the run, removed by it

  makeShapeDataset(root / "old", tiny(3));
  const auto before = snapshot(root / "old");
  makeShapeDataset(root / "old", o);  // cancelled over a previous set: the old one stays whole
  EXPECT_TRUE(snapshot(root / "old") == before);
}

// A cube as OBJ text (1-based, counter-clockwise from outside unless turned).
std::string cubeObj(double size, bool insideOut) {
  std::string text;
  for (int i = 0; i < 8; ++i)
    text += "v " + std::to_string(size * (i & 1)) + " " + std::to_string(size * ((i >> 1) & 1)) + " " +
            std::to_string(size * ((i >> 2) & 1)) + "\n";
  const int faces[12][3] = {{0, 2, 1}, {1, 2, 3}, {4, 5, 6}, {5, 7, 6}, {0, 1, 4}, {1, 5, 4},
                            {2, 6, 3}, {3, 6, 7}, {0, 4, 2}, {2, 4, 6}, {1, 3, 5}, {3, 7, 5}};
  for (const auto& f : faces)
    text += "f " + std::to_string(f[0] + 1) + " " + std::to_string(insideOut ? f[2] + 1 : f[1] + 1) + " " +
            std::to_string(insideOut ? f[1] + 1 : f[2] + 1) + "\n";
  return text;
}

TEST(ShapeDataset, FromMeshesSkipsBrokenFilesAndSplitsByPosition) {
  const fs::path root = test::freshTempDir();
  const fs::path meshes = root / "meshes";
  fs::create_directories(meshes / "boxes");
  for (int i = 0; i < 9; ++i) test::writeText(meshes / "boxes" / ("cube" + std::to_string(i) + ".obj"), cubeObj(1 + i, i == 3));
  writeObj(meshes / "sphere.OBJ", test::sphereMesh(16));
  test::writeText(meshes / "zbroken.obj", "v 0 0 0\nf 1 2 3\n");  // a face on a missing vertex
  test::writeText(meshes / "readme.txt", "not a mesh");

  std::vector<std::string> said;
  ShapeDatasetOptions o = tiny(0);
  o.count = -1;
  o.fromMeshes = meshes;
  o.message = [&](const std::string& m) { said.push_back(m); };
  const ShapeDatasetSummary s = makeShapeDataset(root / "set", o);
  EXPECT_EQ(s.skipped, 1);
  ASSERT_EQ(said.size(), 1u);
  EXPECT_NE(said[0].find("zbroken.obj"), std::string::npos) << said[0];

  // Sorted by path: boxes/cube0..8 (0-8), sphere.OBJ (9: held out), zbroken.obj (10: skipped, its
  // index stays empty). The readme is not a mesh.
  const nlohmann::json m = manifestOf(root / "set");
  EXPECT_EQ(m["generator"], "meshes");
  EXPECT_EQ(m["counts"]["train"], 9);
  EXPECT_EQ(m["counts"]["test"], 1);
  ASSERT_EQ(m["skipped"].size(), 1u);
  EXPECT_EQ(m["skipped"][0]["source"], "zbroken.obj");
  ASSERT_EQ(m["shapes"].size(), 10u);
  EXPECT_EQ(m["shapes"][0]["name"], "shape_00000");
  EXPECT_EQ(m["shapes"][0]["source"], "boxes/cube0.obj");
  EXPECT_EQ(m["shapes"][0]["family"], "boxes");
  EXPECT_EQ(m["shapes"][3]["flipped"], true);  // cube3 was inside out
  EXPECT_EQ(m["shapes"][9]["name"], "shape_00009");
  EXPECT_EQ(m["shapes"][9]["split"], "test");
  EXPECT_EQ(m["shapes"][9]["source"], "sphere.OBJ");
  EXPECT_EQ(m["shapes"][9]["family"], "mesh");

  // The cubes are normalised to the unit cube whatever their size, and labelled by winding number.
  const ShapeRecord r = readShapeRecord(root / "set" / "train" / "shape_00008.shape");
  for (std::size_t i = 0; i < r.queryCount(); ++i) {
    const Vec3d q{r.queries[3 * i], r.queries[3 * i + 1], r.queries[3 * i + 2]};
    const double margin = std::max({std::abs(q.x), std::abs(q.y), std::abs(q.z)});
    if (std::abs(margin - 0.5) > 1e-3) ASSERT_EQ(r.labels[i], margin < 0.5 ? 1 : 0) << i;
  }
}

TEST(ShapeDataset, SaysWhyWhenThereIsNothingToRead) {
  const fs::path root = test::freshTempDir();
  fs::create_directories(root / "empty");
  ShapeDatasetOptions o = tiny(1);
  o.fromMeshes = root / "empty";
  EXPECT_THROW(makeShapeDataset(root / "set", o), std::runtime_error);
  EXPECT_FALSE(fs::exists(root / "set"));
  test::writeText(root / "file", "x");
  EXPECT_THROW(makeShapeDataset(root / "file", tiny(1)), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
