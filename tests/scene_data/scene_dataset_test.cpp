// The NeRF scene data set folder (docs/architecture.md "Data", "NeRF scenes").
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "model/scene_data/nerf_split.h"
#include "model/scene_data/scene_dataset.h"
#include "test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

SceneDataOptions smallOptions(int count) {
  SceneDataOptions o;
  o.count = count;
  o.trainViews = 3;
  o.testViews = 2;
  o.size = 16;
  o.seed = 11;
  o.threads = 2;
  return o;
}

nlohmann::json readJson(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

TEST(SceneDataset, WritesNerfScenesAndTheHeldOutSplit) {
  const fs::path dir = test::freshTempDir() / "set";
  int lastDone = -1, lastTotal = -1;
  SceneDataOptions o = smallOptions(9);
  o.progress = [&](int done, int total) { lastDone = done, lastTotal = total; };
  const SceneDataSummary s = makeSceneDataset(dir, o);
  EXPECT_EQ(s.scenes, 9);
  EXPECT_EQ(s.train, 8);
  EXPECT_EQ(s.heldOut, 1);
  EXPECT_EQ(s.views, 45);
  EXPECT_EQ(lastDone, 45);
  EXPECT_EQ(lastTotal, 45);
  EXPECT_FALSE(fs::exists(dir / kSceneDatasetPartial));
  for (int i = 0; i < 9; ++i) {
    const fs::path scene = dir / sceneFolderName(i);
    const NerfSplit train = loadNerfSplit(scene, "train");
    const NerfSplit test = loadNerfSplit(scene, "test");
    EXPECT_EQ(train.views.size(), 3u);
    EXPECT_EQ(test.views.size(), 2u);
    EXPECT_EQ(train.width, 16);
    EXPECT_EQ(train.views[0].file, "./train/r_0");
    EXPECT_TRUE(fs::is_regular_file(scene / "test" / "r_1.png"));
  }
  const nlohmann::json m = readJson(dir / "scenes.json");
  EXPECT_EQ(m["count"], 9);
  EXPECT_EQ(m["size"], 16);
  EXPECT_EQ(m["seed"], 11);
  EXPECT_EQ(m["held_out"], nlohmann::json::array({"scene_0007"}));
  EXPECT_EQ(m["train"].size(), 8u);
  EXPECT_EQ(m["scenes"].size(), 9u);

  const SceneFolders folders = listSceneFolders(dir);
  ASSERT_EQ(folders.train.size(), 8u);
  ASSERT_EQ(folders.heldOut.size(), 1u);
  EXPECT_EQ(folders.heldOut[0].filename(), "scene_0007");
  EXPECT_EQ(folders.train[0].filename(), "scene_0000");
  // One scene folder on its own is a set of one.
  EXPECT_EQ(listSceneFolders(dir / "scene_0003").train.size(), 1u);
  EXPECT_THROW(listSceneFolders(dir / "scene_0003" / "train"), std::runtime_error);

  // The same seed gives the same bytes.
  const fs::path again = dir.parent_path() / "again";
  SceneDataOptions o2 = smallOptions(2);
  makeSceneDataset(again, o2);
  std::ifstream a(dir / "scene_0001/train/r_2.png", std::ios::binary), b(again / "scene_0001/train/r_2.png", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}), std::string(std::istreambuf_iterator<char>(b), {}));
}

TEST(SceneDataset, RefusesAForeignFolderWithoutForceAndForceReplaces) {
  const fs::path dir = test::freshTempDir() / "mine";
  test::writeText(dir / "notes.txt", "mine");
  try {
    makeSceneDataset(dir, smallOptions(2));
    ADD_FAILURE() << "wrote into a foreign folder";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "scene_0000"));
  EXPECT_FALSE(fs::exists(dir / kSceneDatasetPartial));

  SceneDataOptions o = smallOptions(3);
  o.force = true;
  makeSceneDataset(dir, o);
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));  // other files stay
  EXPECT_TRUE(fs::exists(dir / "scene_0002"));
  // A smaller set over it: the earlier scene folders go.
  o.count = 1;
  o.force = false;  // a scene set is replaced without --force
  makeSceneDataset(dir, o);
  EXPECT_TRUE(fs::exists(dir / "scene_0000"));
  EXPECT_FALSE(fs::exists(dir / "scene_0001"));
  EXPECT_FALSE(fs::exists(dir / "scene_0002"));
  EXPECT_EQ(listSceneFolders(dir).train.size(), 1u);
}

TEST(SceneDataset, ACancelLeavesTheFolderAsItWas) {
  const fs::path base = test::freshTempDir();
  SceneDataOptions o = smallOptions(4);
  int polls = 0;
  o.cancelled = [&] { return ++polls >= 1; };
  const SceneDataSummary s = makeSceneDataset(base / "new", o);
  EXPECT_TRUE(s.cancelled);
  EXPECT_FALSE(fs::exists(base / "new"));  // created by the run: removed again

  const fs::path existing = base / "existing";
  makeSceneDataset(existing, smallOptions(2));
  const std::string before = nlohmann::json(readJson(existing / "scenes.json")).dump();
  SceneDataOptions bigger = smallOptions(5);
  bigger.cancelled = [] { return true; };
  EXPECT_TRUE(makeSceneDataset(existing, bigger).cancelled);
  EXPECT_EQ(readJson(existing / "scenes.json").dump(), before);
  EXPECT_FALSE(fs::exists(existing / "scene_0004"));
  EXPECT_FALSE(fs::exists(existing / kSceneDatasetPartial));
}

TEST(SceneDataset, BadOptionsAreRefused) {
  const fs::path dir = test::freshTempDir() / "x";
  SceneDataOptions o = smallOptions(1);
  o.size = 8;
  EXPECT_THROW(makeSceneDataset(dir, o), std::invalid_argument);
  o = smallOptions(0);
  EXPECT_THROW(makeSceneDataset(dir, o), std::invalid_argument);
  o = smallOptions(1);
  o.testViews = 0;
  EXPECT_THROW(makeSceneDataset(dir, o), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace fieldscope
