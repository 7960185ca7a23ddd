// VideoReader on good, resized, cut-short, empty and non-video files.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "model/video_io/mp4_writer.h"
#include "model/video_io/video_reader.h"
#include "tests/video_io/remux.h"
#include "tests/video_io/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using test::SyntheticClip;

class VideoReaderTest : public test::ScratchDir {
 protected:
  fs::path writeClip(const std::string& name, int frames, Mp4Codec codec = Mp4Codec::Auto) {
    SyntheticClip clip(160, 120);
    Mp4Settings s;
    s.width = 160;
    s.height = 120;
    s.codec = codec;
    s.preset = "veryfast";
    const fs::path file = dir / name;
    writeMp4(file, s, frames, clip.provider());
    return file;
  }

  // Expects reading `file` to throw a message naming it and containing `why`.
  void expectReadError(const fs::path& file, const std::string& why) {
    try {
      readVideoFrames(file);
      ADD_FAILURE() << "no error reading " << file;
    } catch (const std::runtime_error& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
      EXPECT_NE(msg.find(why), std::string::npos) << msg;
      std::cout << "  " << msg << "\n";  // the message the user would see
    }
  }

  static void copyPrefix(const fs::path& from, const fs::path& to, size_t bytes) {
    std::ifstream in(from, std::ios::binary);
    std::string data(bytes, '\0');
    in.read(data.data(), static_cast<std::streamsize>(bytes));
    std::ofstream(to, std::ios::binary).write(data.data(), in.gcount());
  }
};

TEST_F(VideoReaderTest, MaxFramesAndResize) {
  const fs::path file = writeClip("clip.mp4", 30);
  const auto frames = readVideoFrames(file, {.maxFrames = 5, .width = 80, .height = 40});
  ASSERT_EQ(frames.size(), 5u);
  for (size_t k = 0; k < frames.size(); ++k) {
    EXPECT_EQ(frames[k].width, 80);
    EXPECT_EQ(frames[k].height, 40);
    EXPECT_EQ(frames[k].rgb.size(), 80u * 40 * 3);
    EXPECT_NEAR(frames[k].timeSeconds, k / 30.0, 1e-3);
  }
  // Resizing keeps the picture: the mean colour matches a full-size decode.
  const auto full = readVideoFrames(file, {.maxFrames = 1});
  double meanSmall = 0, meanFull = 0;
  for (uint8_t v : frames[0].rgb) meanSmall += v;
  for (uint8_t v : full[0].rgb) meanFull += v;
  EXPECT_NEAR(meanSmall / frames[0].rgb.size(), meanFull / full[0].rgb.size(), 2.0);
}

TEST_F(VideoReaderTest, MatroskaIsReadWithTimestamps) {
  const fs::path mkv = dir / "clip.mkv";
  test::remux(writeClip("clip.mp4", 30), mkv, "matroska");
  VideoReader reader(mkv);
  EXPECT_EQ(reader.info().container, "matroska,webm");
  EXPECT_EQ(reader.info().codec, "h264");
  VideoFrame f;
  int k = 0;
  while (reader.next(f)) {
    EXPECT_NEAR(f.timeSeconds, k / 30.0, 1e-3) << "frame " << k;  // Matroska keeps milliseconds
    ++k;
  }
  EXPECT_EQ(k, 30);
}

TEST_F(VideoReaderTest, TruncatedMatroskaIsAnError) {
  const fs::path mkv = dir / "clip.mkv";
  test::remux(writeClip("clip.mp4", 64), mkv, "matroska");
  const fs::path half = dir / "half.mkv";
  copyPrefix(mkv, half, fs::file_size(mkv) / 2);
  expectReadError(half, "truncated");
}

TEST_F(VideoReaderTest, TruncatedMp4IsAnError) {
  const fs::path file = writeClip("clip.mp4", 64);
  const fs::path half = dir / "half.mp4";
  copyPrefix(file, half, fs::file_size(file) / 2);
  expectReadError(half, "truncated");
}

TEST_F(VideoReaderTest, Mp4CutInsideItsHeaderIsAnError) {
  const fs::path file = writeClip("clip.mp4", 8);
  const fs::path head = dir / "head.mp4";
  copyPrefix(file, head, 200);
  expectReadError(head, "");
}

TEST_F(VideoReaderTest, ZeroByteMissingAndNonVideoFiles) {
  const fs::path empty = dir / "empty.mp4";
  std::ofstream(empty).close();
  expectReadError(empty, "empty");
  expectReadError(dir / "missing.mp4", "no such file");
  const fs::path text = dir / "notes.mp4";
  std::ofstream(text) << "this is not a video, just some text that is long enough to probe";
  expectReadError(text, "");
  expectReadError(dir, "folder");
}

TEST_F(VideoReaderTest, BadOptionsAreRejected) {
  const fs::path file = writeClip("clip.mp4", 2);
  EXPECT_THROW(VideoReader(file, {.width = 10}), std::runtime_error);
  EXPECT_THROW(VideoReader(file, {.maxFrames = -1}), std::runtime_error);
  EXPECT_THROW(VideoReader(file, {.decoderThreads = -1}), std::runtime_error);
}

TEST_F(VideoReaderTest, OneDecoderThreadGivesTheSameFrames) {
  const fs::path file = writeClip("clip.mp4", 12);
  const auto threaded = readVideoFrames(file);
  const auto single = readVideoFrames(file, {.decoderThreads = 1});
  ASSERT_EQ(single.size(), 12u);
  ASSERT_EQ(single.size(), threaded.size());
  for (size_t k = 0; k < single.size(); ++k) {
    EXPECT_EQ(single[k].rgb, threaded[k].rgb) << "frame " << k;
    EXPECT_EQ(single[k].timeSeconds, threaded[k].timeSeconds) << "frame " << k;
  }
}

}  // namespace
}  // namespace fieldscope
