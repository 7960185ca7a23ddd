// MP4 export round trips: write a synthetic clip, decode it back with VideoReader and check
// what a player would see (codec, pixel format, size, rate, timestamps, pixels).
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <fstream>

#include "model/video_io/libav_log.h"
#include "model/video_io/mp4_writer.h"
#include "model/video_io/video_reader.h"
#include "tests/video_io/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using test::SyntheticClip;

class QuietLibav : public ::testing::Environment {
 public:
  void SetUp() override { quietLibavLogs(); }
};
const auto* const kQuiet = ::testing::AddGlobalTestEnvironment(new QuietLibav);

class Mp4Writer : public test::ScratchDir {};

// Decodes `file` and checks every frame against the clip it was written from.
void expectRoundTrip(const fs::path& file, const SyntheticClip& clip, int srcWidth, int frames, FrameRate rate,
                     const std::string& codec) {
  const int w = mp4EncodedSize(srcWidth, 2).first;
  VideoReader reader(file);
  const VideoStreamInfo& info = reader.info();
  EXPECT_EQ(info.codec, codec);
  EXPECT_EQ(info.pixelFormat, "yuv420p");
  EXPECT_EQ(info.width, w);
  EXPECT_EQ(info.frameCount, frames);
  EXPECT_EQ(info.frameRateNum, rate.num);
  EXPECT_EQ(info.frameRateDen, rate.den);
  // The muxer picks a finer time base; every frame time must still be exact in it.
  EXPECT_EQ(info.timeBaseNum, 1);
  EXPECT_EQ((static_cast<int64_t>(info.timeBaseDen) * rate.den) % rate.num, 0) << info.timeBaseDen;
  EXPECT_NEAR(info.durationSeconds, frames / rate.fps(), 1e-3);
  EXPECT_EQ(info.colorSpace, "bt709");
  EXPECT_EQ(info.colorRange, "tv");

  VideoFrame f;
  int k = 0;
  double worst = 99;
  while (reader.next(f)) {
    ASSERT_LT(k, frames);
    EXPECT_EQ(f.width, info.width);
    EXPECT_EQ(f.height, info.height);
    EXPECT_NEAR(f.timeSeconds, k / rate.fps(), 1e-3) << "frame " << k;
    EXPECT_EQ(SyntheticClip::frameNumber(f.rgb, f.width), k % 256) << "frames out of order";
    const double p = test::psnr(f.rgb, f.width, f.height, clip.rgba(k), srcWidth);
    worst = std::min(worst, p);
    EXPECT_GE(p, 30.0) << "frame " << k;
    ++k;
  }
  EXPECT_EQ(k, frames);
  ::testing::Test::RecordProperty("worst_psnr_db", std::to_string(worst));
  std::cout << "  " << file.filename().string() << ": worst frame PSNR " << worst << " dB\n";
}

TEST_F(Mp4Writer, H264RoundTripAt320x240And30Fps) {
  if (!libx264Available()) GTEST_SKIP() << "this FFmpeg build has no libx264";
  SyntheticClip clip(320, 240);
  Mp4Settings s;
  s.width = 320;
  s.height = 240;
  s.frameRate = {30, 1};
  std::vector<int> progress;
  ExportControl control;
  const fs::path file = dir / "clip.mp4";
  control.progress = [&](int done, int total) {
    EXPECT_EQ(total, 64);
    // 100% means the file is there, not merely that the last frame reached the encoder.
    EXPECT_EQ(done == total, fs::exists(file)) << "done " << done;
    progress.push_back(done);
  };
  const ExportReport r = writeMp4(file, s, 64, clip.provider(), control);
  EXPECT_FALSE(r.cancelled);
  EXPECT_EQ(r.framesWritten, 64);
  EXPECT_EQ(r.codec, "h264 (libx264)");
  EXPECT_TRUE(r.notes.empty());
  ASSERT_EQ(progress.size(), 64u);
  for (int i = 0; i < 64; ++i) EXPECT_EQ(progress[i], i + 1);
  EXPECT_EQ(entries(), std::vector<std::string>{"clip.mp4"}) << "a temporary file was left behind";
  expectRoundTrip(file, clip, 320, 64, s.frameRate, "h264");
  VideoReader reader(file);
  EXPECT_EQ(reader.info().height, 240);
}

TEST_F(Mp4Writer, FaststartPutsTheIndexBeforeTheMediaData) {
  if (!libx264Available()) GTEST_SKIP() << "this FFmpeg build has no libx264";
  SyntheticClip clip(64, 48);
  Mp4Settings s;
  s.width = 64;
  s.height = 48;
  s.preset = "ultrafast";
  writeMp4(dir / "fast.mp4", s, 10, clip.provider());
  std::ifstream in(dir / "fast.mp4", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t moov = bytes.find("moov"), mdat = bytes.find("mdat");
  ASSERT_NE(moov, std::string::npos);
  ASSERT_NE(mdat, std::string::npos);
  EXPECT_LT(moov, mdat);
}

TEST_F(Mp4Writer, OddSizeIsRoundedToEvenWithANote) {
  if (!libx264Available()) GTEST_SKIP() << "this FFmpeg build has no libx264";
  SyntheticClip clip(321, 241);
  Mp4Settings s;
  s.width = 321;
  s.height = 241;
  s.preset = "veryfast";
  const fs::path file = dir / "odd.mp4";
  const ExportReport r = writeMp4(file, s, 64, clip.provider());
  EXPECT_EQ(r.width, 320);
  EXPECT_EQ(r.height, 240);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("321x241"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[0].find("320x240"), std::string::npos) << r.notes[0];
  expectRoundTrip(file, clip, 321, 64, s.frameRate, "h264");
  EXPECT_EQ(VideoReader(file).info().height, 240);
}

TEST_F(Mp4Writer, NtscFilmRate24000Over1001) {
  if (!libx264Available()) GTEST_SKIP() << "this FFmpeg build has no libx264";
  SyntheticClip clip(160, 120);
  Mp4Settings s;
  s.width = 160;
  s.height = 120;
  s.frameRate = {24000, 1001};
  s.preset = "veryfast";
  const fs::path file = dir / "film.mp4";
  writeMp4(file, s, 48, clip.provider());
  expectRoundTrip(file, clip, 160, 48, s.frameRate, "h264");
}

// The encoder choice on a build without libx264 (this machine has it, so the choice is asked
// of the pure function the writer uses): MPEG-4 Part 2 and a note for the user under Auto, a
// clear error naming the file under H264 or when there is no encoder at all.
TEST(Mp4EncoderChoice, WithoutLibx264AutoFallsBackToMpeg4AndSaysSo) {
  const Mp4EncoderChoice fallback = chooseMp4Encoder(Mp4Codec::Auto, false, true, "clip.mp4");
  EXPECT_FALSE(fallback.x264);
  EXPECT_EQ(fallback.codec, "mpeg4");
  EXPECT_NE(fallback.note.find("libx264 is not available"), std::string::npos) << fallback.note;
  const Mp4EncoderChoice normal = chooseMp4Encoder(Mp4Codec::Auto, true, true, "clip.mp4");
  EXPECT_TRUE(normal.x264);
  EXPECT_EQ(normal.codec, "h264 (libx264)");
  EXPECT_TRUE(normal.note.empty());
  const Mp4EncoderChoice asked = chooseMp4Encoder(Mp4Codec::Mpeg4, true, true, "clip.mp4");
  EXPECT_FALSE(asked.x264);
  EXPECT_TRUE(asked.note.empty()) << "MPEG-4 the user asked for needs no excuse";
  auto failsWith = [](Mp4Codec c, bool x264, bool mpeg4, const std::string& what) {
    try {
      chooseMp4Encoder(c, x264, mpeg4, "/tmp/out/clip.mp4");
      ADD_FAILURE() << "no error for " << what;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("/tmp/out/clip.mp4"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  failsWith(Mp4Codec::H264, false, true, "no H.264 encoder");
  failsWith(Mp4Codec::Auto, false, false, "neither libx264 nor an MPEG-4 Part 2 encoder");
}

TEST_F(Mp4Writer, Mpeg4FallbackDecodesBackAsMpeg4) {
  SyntheticClip clip(320, 240);
  Mp4Settings s;
  s.width = 320;
  s.height = 240;
  s.codec = Mp4Codec::Mpeg4;
  const fs::path file = dir / "part2.mp4";
  const ExportReport r = writeMp4(file, s, 32, clip.provider());
  EXPECT_EQ(r.codec, "mpeg4");
  expectRoundTrip(file, clip, 320, 32, s.frameRate, "mpeg4");
}

TEST_F(Mp4Writer, Rgb8FramesAndSaturatedColoursSurviveTheBt709RoundTrip) {
  // Flat saturated patches: a BT.601/BT.709 mix-up between the writer's conversion and the
  // stream's tags shifts these by 10+ levels, far more than compression does.
  constexpr int W = 128, H = 64;
  const uint8_t colours[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}};
  std::vector<uint8_t> rgb(W * H * 3);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x)
      for (int c = 0; c < 3; ++c) rgb[(y * W + x) * 3 + c] = colours[x / 32][c];
  Mp4Settings s;
  s.width = W;
  s.height = H;
  s.codec = libx264Available() ? Mp4Codec::H264 : Mp4Codec::Mpeg4;
  const fs::path file = dir / "colours.mp4";
  writeMp4(file, s, 4, [&](int) { return FrameView{rgb.data(), W, H, PixelLayout::Rgb8, 0}; });
  const auto frames = readVideoFrames(file);
  ASSERT_EQ(frames.size(), 4u);
  for (int patch = 0; patch < 4; ++patch)
    for (int c = 0; c < 3; ++c)
      EXPECT_NEAR(frames[2].rgb[(32 * W + patch * 32 + 16) * 3 + c], colours[patch][c], 6)
          << "patch " << patch << " channel " << c;
}

TEST_F(Mp4Writer, UnwritableFolderFailsBeforeTheFirstFrameAndLeavesNothing) {
  SyntheticClip clip(64, 48);
  Mp4Settings s;
  s.width = 64;
  s.height = 48;
  // /proc refuses new files even to root (tests may run as root, so no chmod trick).
  const fs::path file = "/proc/fieldscope-video-io-test.mp4";
  try {
    writeMp4(file, s, 8, clip.provider());
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("creating the file"), std::string::npos) << msg;
  }
  EXPECT_EQ(clip.calls, 0) << "frames were rendered for an export that could not be written";
  EXPECT_FALSE(fs::exists(file));

  const fs::path missing = dir / "no-such-folder" / "x.mp4";
  EXPECT_THROW(writeMp4(missing, s, 8, clip.provider()), std::runtime_error);
  EXPECT_EQ(clip.calls, 0);
  EXPECT_TRUE(entries().empty());
}

TEST_F(Mp4Writer, CancelMidwayLeavesNoFileAndNoTemporary) {
  SyntheticClip clip(96, 64);
  auto inner = clip.provider();
  std::atomic<bool> cancel{false};
  ExportControl control;
  control.cancel = &cancel;
  Mp4Settings s;
  s.width = 96;
  s.height = 64;
  s.preset = "ultrafast";
  const ExportReport r = writeMp4(dir / "cancelled.mp4", s, 64,
                                  [&](int k) {
                                    if (k == 20) cancel = true;  // the user presses Cancel while frame 20 renders
                                    return inner(k);
                                  },
                                  control);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(clip.calls, 21);
  EXPECT_TRUE(entries().empty());

  // A cancelled export over an existing file keeps the old file untouched.
  std::ofstream(dir / "keep.mp4") << "old";
  cancel = false;
  const ExportReport again = writeMp4(dir / "keep.mp4", s, 64,
                                      [&](int k) {
                                        if (k == 3) cancel = true;
                                        return inner(k);
                                      },
                                      control);
  EXPECT_TRUE(again.cancelled);
  EXPECT_EQ(entries(), std::vector<std::string>{"keep.mp4"});
  EXPECT_EQ(fs::file_size(dir / "keep.mp4"), 3u);

  // Cancel pressed while the last frame renders: still cancelled, still no file.
  cancel = false;
  const ExportReport last = writeMp4(dir / "last.mp4", s, 4,
                                     [&](int k) {
                                       if (k == 3) cancel = true;
                                       return inner(k);
                                     },
                                     control);
  EXPECT_TRUE(last.cancelled);
  EXPECT_FALSE(fs::exists(dir / "last.mp4"));
}

TEST_F(Mp4Writer, AFailingFrameRemovesTheTemporaryAndNamesTheFile) {
  SyntheticClip clip(64, 48);
  auto inner = clip.provider();
  Mp4Settings s;
  s.width = 64;
  s.height = 48;
  const fs::path file = dir / "broken.mp4";
  std::vector<uint8_t> small(32 * 32 * 4);
  try {
    writeMp4(file, s, 16, [&](int k) {
      if (k == 5) return FrameView{small.data(), 32, 32, PixelLayout::Rgba8, 0};
      return inner(k);
    });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("frame 5"), std::string::npos) << msg;
  }
  EXPECT_TRUE(entries().empty());
}

TEST_F(Mp4Writer, BadSettingsAreRejectedWithAMessage) {
  SyntheticClip clip(64, 48);
  const fs::path file = dir / "bad.mp4";
  const auto fails = [&](Mp4Settings s, int frames, const std::string& expected) {
    try {
      writeMp4(file, s, frames, clip.provider());
      ADD_FAILURE() << "no error for " << expected;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  };
  Mp4Settings ok;
  ok.width = 64;
  ok.height = 48;
  fails(ok, 0, "no frames");
  Mp4Settings big = ok;
  big.width = 4096;
  big.height = 2160;
  fails(big, 1, "larger than 3840x2160");
  Mp4Settings rate = ok;
  rate.frameRate = {0, 1};
  fails(rate, 1, "frame rate");
  Mp4Settings crf = ok;
  crf.crf = 60;
  fails(crf, 1, "crf");
  Mp4Settings preset = ok;
  preset.preset = "warp";
  fails(preset, 1, "preset 'warp'");
  EXPECT_EQ(clip.calls, 0);
  EXPECT_TRUE(entries().empty());
}

TEST_F(Mp4Writer, Uhd4kIsTheLargestSize) {
  EXPECT_EQ(mp4EncodedSize(1081, 1921), std::make_pair(1080, 1920));
  SyntheticClip clip(3840, 2160);
  Mp4Settings s;
  s.width = 3840;
  s.height = 2160;
  s.preset = "ultrafast";
  const fs::path file = dir / "uhd.mp4";
  writeMp4(file, s, 2, clip.provider());
  const auto frames = readVideoFrames(file, {.maxFrames = 1});
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].width, 3840);
  EXPECT_EQ(frames[0].height, 2160);
  EXPECT_GE(test::psnr(frames[0].rgb, 3840, 2160, clip.rgba(0), 3840), 30.0);
}

TEST_F(Mp4Writer, TinyFramesEncodeWithBothCodecs) {
  for (const Mp4Codec codec : {Mp4Codec::Auto, Mp4Codec::Mpeg4}) {
    for (const int side : {2, 3, 17}) {
      SyntheticClip clip(side, side);
      Mp4Settings s;
      s.width = side;
      s.height = side;
      s.codec = codec;
      const fs::path file = dir / ("tiny" + std::to_string(side) + ".mp4");
      writeMp4(file, s, 3, clip.provider());
      const auto frames = readVideoFrames(file);
      ASSERT_EQ(frames.size(), 3u) << file;
      EXPECT_EQ(frames[0].width, side & ~1);
    }
  }
}

}  // namespace
}  // namespace fieldscope
