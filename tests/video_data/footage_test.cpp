// The user's footage as clips: an MP4 cut into clips of the right size, count and start times
// (with --stride), PNG frame folders, and broken input -- a truncated MP4, a zero-length file, a
// video too short for one clip -- reported by name, skipped, and never leaving a partial set.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/video_data/clip_dataset.h"
#include "model/video_data/clip_png.h"
#include "model/video_data/square_frames.h"
#include "model/video_data/user_footage.h"
#include "model/video_io/video_reader.h"
#include "tests/video_data/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

ClipDatasetOptions fromFootage(const fs::path& from, int frames, int size) {
  ClipDatasetOptions o;
  o.from = from;
  o.count = -1;
  o.frames = frames;
  o.size = size;
  return o;
}

nlohmann::json manifestOf(const fs::path& dir) { return nlohmann::json::parse(test::readAll(dir / "manifest.json")); }

// Every case reads an MP4 (or checks that one is read); a build without FFmpeg skips them.
class FootageTest : public test::ScratchDir {
 protected:
  void SetUp() override {
    if (!videoFilesSupported()) GTEST_SKIP() << kNoVideoFilesReason;
    test::ScratchDir::SetUp();
  }
};

TEST_F(FootageTest, Mp4BecomesClipsOfTheRightSizeAndCount) {
  const fs::path mp4 = test::writeTestMp4(dir / "walk.mp4", 45);  // 96x64, 30 fps
  const ClipDatasetSummary s = makeClipDataset(dir / "set", fromFootage(mp4, 8, 32));
  EXPECT_EQ(s.train + s.test, 5);  // 45 frames: 5 clips of 8, 5 frames left over
  EXPECT_EQ(s.skipped, 0);
  const ClipDataset set = loadClipDataset(dir / "set");
  ASSERT_EQ(set.train.size(), 5u);
  EXPECT_EQ(set.frames, 8);
  EXPECT_EQ(set.size, 32);
  for (const Clip& c : set.train) EXPECT_EQ(c.rgb.size(), 8u * 32 * 32 * 3);

  const nlohmann::json m = manifestOf(dir / "set");
  EXPECT_EQ(m["source"], mp4.string());
  EXPECT_EQ(m["count"], 5);
  EXPECT_EQ(m["clips"][2]["source"], "walk.mp4");
  EXPECT_EQ(m["clips"][2]["start_frame"], 16);
  EXPECT_NEAR(m["clips"][2]["start_seconds"].get<double>(), 16 / 30.0, 1e-3);

  // The pixels: frame k of clip 1 is decoded frame 8 + k, shorter side to 32, centre square.
  const std::vector<VideoFrame> decoded = readVideoFrames(mp4, {.width = 48, .height = 32});
  for (int k = 0; k < 8; ++k) {
    const std::vector<std::uint8_t> expected = centreSquare(decoded[std::size_t(8 + k)].rgb.data(), 48, 32, 32);
    ASSERT_TRUE(std::equal(expected.begin(), expected.end(), set.train[1].frame(k))) << "frame " << k;
  }
  // Consecutive real frames: motion, and continuity.
  EXPECT_GT(test::frameRms(set.train[0], 0, 1), 0.0);
  EXPECT_LT(test::frameRms(set.train[0], 0, 1), test::frameRms(set.train[0], 0, 7));
}

TEST_F(FootageTest, StrideAndCountLimit) {
  const fs::path mp4 = test::writeTestMp4(dir / "walk.mp4", 45);
  ClipDatasetOptions o = fromFootage(mp4, 8, 16);
  o.stride = 2;  // frames 0, 2, ..., 44: 23 frames, 2 clips
  makeClipDataset(dir / "strided", o);
  const nlohmann::json m = manifestOf(dir / "strided");
  ASSERT_EQ(m["clips"].size(), 2u);
  EXPECT_EQ(m["clips"][1]["start_frame"], 16);
  EXPECT_EQ(m["stride"], 2);
  o.stride = 1;
  o.count = 3;
  makeClipDataset(dir / "limited", o);
  EXPECT_EQ(manifestOf(dir / "limited")["clips"].size(), 3u);
}

TEST_F(FootageTest, PngFrameFoldersAndVideosBelowAFolder) {
  const fs::path footage = dir / "footage";
  fs::create_directories(footage / "shots" / "a");
  // A folder of 12 PNG frames named without padding: natural order (frame_2 before frame_10).
  for (int k = 0; k < 12; ++k) {
    Clip frame;
    frame.frames = 1;
    frame.size = 20;
    frame.rgb.assign(frame.frameBytes(), static_cast<std::uint8_t>(10 * k));
    writeClipPng(footage / "shots" / "a" / ("frame_" + std::to_string(k) + ".png"), frame);
  }
  test::writeTestMp4(footage / "clip.MKV.mp4", 20);
  test::writeText(footage / "notes.txt", "not footage");
  const ClipDatasetSummary s = makeClipDataset(dir / "set", fromFootage(footage, 5, 16));
  EXPECT_EQ(s.sources, 2);
  const nlohmann::json m = manifestOf(dir / "set");
  // Sorted by path: clip.MKV.mp4 (4 clips), shots/a (2 clips, 2 frames left over).
  ASSERT_EQ(m["clips"].size(), 6u);
  EXPECT_EQ(m["clips"][0]["source"], "clip.MKV.mp4");
  EXPECT_EQ(m["clips"][4]["source"], "shots/a");
  EXPECT_EQ(m["clips"][5]["start_frame"], 5);
  EXPECT_FALSE(m["clips"][5].contains("start_seconds"));  // PNG frames have no time
  const ClipDataset set = loadClipDataset(dir / "set");
  const Clip& second = set.train[5 - 1 + 1];  // index 5: train (only 9 is test)
  for (int k = 0; k < 5; ++k) EXPECT_EQ(second.frame(k)[0], 10 * (5 + k)) << "frame " << k;
}

TEST_F(FootageTest, BrokenFilesAreNamedAndSkipped) {
  const fs::path footage = dir / "footage";
  fs::create_directories(footage);
  const fs::path good = test::writeTestMp4(footage / "b_good.mp4", 24);
  const fs::path whole = test::writeTestMp4(dir / "whole.mp4", 64);
  const fs::path truncated = footage / "a_truncated.mp4";
  test::copyPrefix(whole, truncated, fs::file_size(whole) / 2);
  const fs::path empty = footage / "c_empty.webm";
  test::writeText(empty, "");
  const fs::path shortClip = test::writeTestMp4(footage / "d_short.mp4", 5);

  // The truncated file gives whole clips before it breaks: they are written, then removed again.
  int before = 0;
  EXPECT_THROW(readFootage({truncated, false}, 16, 1, [&](const FootageFrame&) { return ++before > 0; }), std::runtime_error);
  EXPECT_GE(before, 16);

  std::vector<std::string> said;
  ClipDatasetOptions o = fromFootage(footage, 8, 16);
  o.message = [&](const std::string& m) { said.push_back(m); };
  const ClipDatasetSummary s = makeClipDataset(dir / "set", o);
  EXPECT_EQ(s.skipped, 3);
  EXPECT_EQ(s.train + s.test, 3);  // b_good: 24 frames, 3 clips; the truncated file's clips are gone
  ASSERT_EQ(said.size(), 3u);
  EXPECT_NE(said[0].find(truncated.string()), std::string::npos) << said[0];
  EXPECT_NE(said[0].find("truncated"), std::string::npos) << said[0];
  EXPECT_NE(said[1].find(empty.string()), std::string::npos) << said[1];
  EXPECT_NE(said[1].find("empty"), std::string::npos) << said[1];
  EXPECT_NE(said[2].find(shortClip.string()), std::string::npos) << said[2];
  EXPECT_NE(said[2].find("5 frames, fewer than the 8"), std::string::npos) << said[2];
  for (const std::string& m : said) std::cout << "  " << m << "\n";  // what the user sees

  const nlohmann::json m = manifestOf(dir / "set");
  EXPECT_EQ(m["counts"]["skipped"], 3);
  ASSERT_EQ(m["skipped"].size(), 3u);
  EXPECT_EQ(m["skipped"][0]["source"], "a_truncated.mp4");
  ASSERT_EQ(m["clips"].size(), 3u);
  EXPECT_EQ(m["clips"][0]["name"], "clip_00000");
  EXPECT_EQ(m["clips"][0]["source"], "b_good.mp4");
  EXPECT_EQ(test::snapshot(dir / "set").size(), 4u);  // 3 clips + manifest: nothing of the truncated file
}

TEST_F(FootageTest, NothingUsableIsAnErrorNamingTheInputAndLeavesNoFolder) {
  const fs::path whole = test::writeTestMp4(dir / "whole.mp4", 64);
  const fs::path truncated = dir / "truncated.mp4";
  test::copyPrefix(whole, truncated, fs::file_size(whole) / 2);
  test::expectErrorNaming([&] { makeClipDataset(dir / "set1", fromFootage(truncated, 8, 16)); },
                          {truncated.string(), "truncated"});
  EXPECT_FALSE(fs::exists(dir / "set1"));

  const fs::path empty = dir / "empty.mp4";
  test::writeText(empty, "");
  test::expectErrorNaming([&] { makeClipDataset(dir / "set2", fromFootage(empty, 8, 16)); }, {empty.string(), "empty"});
  EXPECT_FALSE(fs::exists(dir / "set2"));

  fs::create_directories(dir / "nothing");
  test::writeText(dir / "nothing" / "readme.txt", "x");
  test::expectErrorNaming([&] { makeClipDataset(dir / "set3", fromFootage(dir / "nothing", 8, 16)); },
                          {(dir / "nothing").string(), "no video files"});
  EXPECT_FALSE(fs::exists(dir / "set3"));
}

TEST_F(FootageTest, OutputInsideTheFootageFolderIsNotRead) {
  const fs::path footage = dir / "footage";
  fs::create_directories(footage);
  test::writeTestMp4(footage / "a.mp4", 16);
  makeClipDataset(footage / "set", fromFootage(footage, 8, 16));
  // Again: the set's own PNG folders are not taken for frame folders.
  const ClipDatasetSummary s = makeClipDataset(footage / "set", fromFootage(footage, 8, 16));
  EXPECT_EQ(s.sources, 1);
  EXPECT_EQ(s.train + s.test, 2);
}

TEST(SquareFrames, CentreCropAndAreaResize) {
  // 6x4: a 4x4 centre square (columns 1..4) of two halves, left 0 and right 200; to 2x2.
  std::vector<std::uint8_t> rgb(6 * 4 * 3, 99);
  for (int y = 0; y < 4; ++y)
    for (int x = 1; x <= 4; ++x)
      for (int c = 0; c < 3; ++c) rgb[(std::size_t(y) * 6 + x) * 3 + c] = x <= 2 ? 0 : 200;
  const std::vector<std::uint8_t> out = centreSquare(rgb.data(), 6, 4, 2);
  EXPECT_EQ(out, (std::vector<std::uint8_t>{0, 0, 0, 200, 200, 200, 0, 0, 0, 200, 200, 200}));
  int w = 0, h = 0;
  shorterSideTo(1920, 1080, 64, w, h);
  EXPECT_EQ(w, 114);
  EXPECT_EQ(h, 64);
}

TEST(UserFootage, NaturalOrder) {
  EXPECT_TRUE(naturalLess("frame_2.png", "frame_10.png"));
  EXPECT_FALSE(naturalLess("frame_10.png", "frame_2.png"));
  EXPECT_TRUE(naturalLess("frame_0009.png", "frame_0010.png"));
  EXPECT_TRUE(naturalLess("a.png", "b.png"));
  EXPECT_FALSE(naturalLess("a1", "a1"));
}

}  // namespace
}  // namespace fieldscope
