// The clip data set folder: layout, split, manifest, reproducible bytes, reading back the same
// pixels, the reader on damaged sets, refusing someone else's folder, cancelling without leftovers.
#include <gtest/gtest.h>

#include <stb_image.h>

#include <nlohmann/json.hpp>

#include "model/video_data/clip_dataset.h"
#include "model/video_data/clip_png.h"
#include "model/video_data/procedural_clips.h"
#include "tests/video_data/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

ClipDatasetOptions tiny(int count) {
  ClipDatasetOptions o;
  o.count = count;
  o.frames = 6;
  o.size = 24;
  o.threads = 2;
  return o;
}

nlohmann::json manifestOf(const fs::path& dir) { return nlohmann::json::parse(test::readAll(dir / "manifest.json")); }

class ClipDatasetTest : public test::ScratchDir {};

TEST_F(ClipDatasetTest, MakesTrainTestAndManifest) {
  int lastDone = 0, lastTotal = 0;
  ClipDatasetOptions o = tiny(12);
  o.seed = 5;
  o.progress = [&](int done, int total) { lastDone = done, lastTotal = total; };
  const ClipDatasetSummary s = makeClipDataset(dir / "set", o);
  EXPECT_EQ(s.train, 11);
  EXPECT_EQ(s.test, 1);  // index 9
  EXPECT_FALSE(s.cancelled);
  EXPECT_EQ(lastDone, 12);
  EXPECT_EQ(lastTotal, 12);
  EXPECT_FALSE(fs::exists(dir / "set" / kClipDatasetPartial));
  EXPECT_TRUE(isClipDataset(dir / "set"));
  EXPECT_TRUE(fs::exists(dir / "set" / "test" / "clip_00009.png"));
  EXPECT_TRUE(fs::exists(dir / "set" / "train" / "clip_00011.png"));
  EXPECT_EQ(test::snapshot(dir / "set").size(), 13u);

  const nlohmann::json m = manifestOf(dir / "set");
  EXPECT_EQ(m["format"], kClipDatasetFormat);
  EXPECT_EQ(m["version"], 1);
  EXPECT_EQ(m["frames"], 6);
  EXPECT_EQ(m["size"], 24);
  EXPECT_EQ(m["count"], 12);
  EXPECT_EQ(m["seed"], 5);
  EXPECT_EQ(m["source"], "procedural");
  ASSERT_EQ(m["clips"].size(), 12u);
  for (int i = 0; i < 12; ++i) {
    const nlohmann::json& e = m["clips"][std::size_t(i)];
    const std::string split = i == 9 ? "test" : "train";
    EXPECT_EQ(e["split"], split);
    EXPECT_EQ(e["file"], split + "/clip_000" + (i < 10 ? "0" : "") + std::to_string(i) + ".png");
    EXPECT_TRUE(e["glyphs"].is_array());
    EXPECT_GE(e["glyphs"].size(), 1u);
  }
}

TEST_F(ClipDatasetTest, ReadsBackTheSamePixels) {
  ClipDatasetOptions o = tiny(11);
  o.seed = 9;
  makeClipDataset(dir / "set", o);
  const ClipDataset set = loadClipDataset(dir / "set");
  EXPECT_EQ(set.frames, 6);
  EXPECT_EQ(set.size, 24);
  ASSERT_EQ(set.train.size(), 10u);
  ASSERT_EQ(set.test.size(), 1u);
  EXPECT_EQ(set.test[0].name, "clip_00009");
  EXPECT_EQ(set.manifest["count"], 11);
  // Clip 10 (the last train clip) is exactly the clip rendered directly from its recipe.
  SpriteLibrary sprites(kDefaultEmojiFont);
  const Clip direct = renderClip(drawClipRecipe(9, 10, sprites), 6, 24, sprites);
  EXPECT_EQ(set.train[9].name, "clip_00010");
  EXPECT_EQ(set.train[9].frames, 6);
  EXPECT_EQ(set.train[9].size, 24);
  EXPECT_TRUE(set.train[9].rgb == direct.rgb);
  // The PNG is the frames side by side: frame 2's top-left pixel is at column 2 * 24.
  int w = 0, h = 0, c = 0;
  unsigned char* png = stbi_load((dir / "set" / "train" / "clip_00010.png").c_str(), &w, &h, &c, 3);
  ASSERT_TRUE(png);
  EXPECT_EQ(w, 6 * 24);
  EXPECT_EQ(h, 24);
  for (int ch = 0; ch < 3; ++ch) EXPECT_EQ(png[(5 * w + 2 * 24 + 7) * 3 + ch], direct.frame(2)[(5 * 24 + 7) * 3 + ch]);
  stbi_image_free(png);
}

TEST_F(ClipDatasetTest, SameSeedGivesIdenticalBytesWhateverTheThreads) {
  ClipDatasetOptions a = tiny(6), b = tiny(6);
  a.seed = b.seed = 42;
  a.threads = 1;
  b.threads = 3;
  makeClipDataset(dir / "a", a);
  makeClipDataset(dir / "b", b);
  EXPECT_TRUE(test::snapshot(dir / "a") == test::snapshot(dir / "b"));
  b.seed = 43;
  makeClipDataset(dir / "c", b);
  EXPECT_NE(test::readAll(dir / "a" / "train" / "clip_00000.png"), test::readAll(dir / "c" / "train" / "clip_00000.png"));
  // Clip i is the same in a larger set.
  ClipDatasetOptions more = tiny(9);
  more.seed = 42;
  makeClipDataset(dir / "d", more);
  EXPECT_EQ(test::readAll(dir / "a" / "train" / "clip_00005.png"), test::readAll(dir / "d" / "train" / "clip_00005.png"));
}

TEST_F(ClipDatasetTest, RefusesAForeignFolderUnlessForced) {
  test::writeText(dir / "notes.txt", "mine");
  test::expectErrorNaming([&] { makeClipDataset(dir, tiny(2)); }, {dir.string(), "--force", "not empty"});
  EXPECT_EQ(entries().size(), 1u);
  ClipDatasetOptions forced = tiny(2);
  forced.force = true;
  makeClipDataset(dir, forced);
  EXPECT_EQ(test::readAll(dir / "notes.txt"), "mine");
  EXPECT_TRUE(isClipDataset(dir));
  makeClipDataset(dir, tiny(1));  // now a clip set: replaced without --force, no stale clips
  EXPECT_FALSE(fs::exists(dir / "train" / "clip_00001.png"));
  EXPECT_EQ(manifestOf(dir)["count"], 1);
}

TEST_F(ClipDatasetTest, CancelLeavesNothingBehind) {
  ClipDatasetOptions o = tiny(500);
  o.cancelled = [] { return true; };
  const ClipDatasetSummary s = makeClipDataset(dir / "new", o);
  EXPECT_TRUE(s.cancelled);
  EXPECT_FALSE(fs::exists(dir / "new"));  // created by the run, removed by it

  makeClipDataset(dir / "old", tiny(3));
  const auto before = test::snapshot(dir / "old");
  makeClipDataset(dir / "old", o);  // cancelled over a previous set: the old one stays whole
  EXPECT_TRUE(test::snapshot(dir / "old") == before);
}

TEST_F(ClipDatasetTest, BadOptionsAndAMissingFontLeaveNoFolder) {
  ClipDatasetOptions o = tiny(2);
  o.frames = 1;
  EXPECT_THROW(makeClipDataset(dir / "set", o), std::invalid_argument);
  o = tiny(2);
  o.font = dir / "nofont.ttf";
  test::expectErrorNaming([&] { makeClipDataset(dir / "set", o); }, {"nofont.ttf"});
  EXPECT_FALSE(fs::exists(dir / "set"));
}

TEST_F(ClipDatasetTest, LoaderNamesTheBrokenFile) {
  const fs::path set = dir / "set";
  makeClipDataset(set, tiny(3));
  const std::string manifest = test::readAll(set / "manifest.json");
  const fs::path clip = set / "train" / "clip_00001.png";
  const std::string good = test::readAll(clip);

  test::writeText(clip, good.substr(0, good.size() / 2));  // truncated PNG
  test::expectErrorNaming([&] { loadClipDataset(set); }, {clip.string(), "not a readable PNG"});
  test::writeText(clip, "");
  test::expectErrorNaming([&] { loadClipDataset(set); }, {clip.string(), "empty"});
  fs::remove(clip);
  test::expectErrorNaming([&] { loadClipDataset(set); }, {clip.string(), "missing"});
  // A PNG of the wrong size: a clip of 5 frames where the set has 6.
  Clip wrong;
  wrong.frames = 5;
  wrong.size = 24;
  wrong.rgb.assign(5 * wrong.frameBytes(), 128);
  writeClipPng(clip, wrong);
  test::expectErrorNaming([&] { loadClipDataset(set); }, {clip.string(), "120x24", "144x24"});
  test::writeText(clip, good);
  EXPECT_EQ(loadClipDataset(set).train.size(), 3u);

  test::writeText(set / "manifest.json", manifest.substr(0, manifest.size() / 2));
  test::expectErrorNaming([&] { loadClipDataset(set); }, {(set / "manifest.json").string(), "not valid JSON"});
  test::writeText(set / "manifest.json", R"({"format": "fieldscope-shape-dataset"})");
  test::expectErrorNaming([&] { loadClipDataset(set); }, {(set / "manifest.json").string(), "not a clip data set"});
  fs::remove(set / "manifest.json");
  test::expectErrorNaming([&] { loadClipDataset(set); }, {(set / "manifest.json").string(), "missing"});
}

}  // namespace
}  // namespace fieldscope
