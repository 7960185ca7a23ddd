// The video domain's commands end to end on tiny models: `data clips`, `train video-vae` and
// `video-ldm`, then `sample` to an MP4 (decoded back with libav: codec, pixel format, size, frame
// count, rate, and frame k against the direct decode at t_k), to a PNG sequence and to one PNG at
// a fractional time; and the bad inputs (a clear message naming the file or option, nothing written).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>

#include "app/cli/command_registry.h"
#include "app/cli/model_commands.h"
#include "app/domains/video/cli/video_commands.h"
#include "model/io/png_file.h"
#include "model/video/video_eval.h"
#include "model/video/video_model.h"
#include "model/video_io/mp4_writer.h"
#include "model/video_io/video_reader.h"
#include "model/checkpoint/checkpoint_peek.h"
#include "model/video/clip_tensors.h"
#include "model/video_data/clip_dataset.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

const test::CliRunner videoCli(DomainList{{"video", registerVideoCommands, nullptr}});

torch::Tensor frameTensor(const VideoFrame& f) {
  return torch::from_blob(const_cast<uint8_t*>(f.rgb.data()), {f.height, f.width, 3}, torch::kUInt8).to(torch::kFloat32) / 255.0;
}

// One tiny model for the suite: data, VAE, LDM (a few seconds).
class VideoCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("video_cli");
    try {
      makeModel(dir_->path);
    } catch (const std::exception& e) {
      setupError_ = e.what();
    }
  }
  // A failed set-up fails every test (gtest would only skip them).
  void SetUp() override {
    if (!videoFilesSupported()) GTEST_SKIP() << kNoVideoFilesReason;  // every case writes or reads an MP4
    ASSERT_TRUE(setupError_.empty()) << "making the tiny model failed: " << setupError_;
  }
  static void makeModel(const fs::path& d) {
    videoCli.run({"data", "clips", "-o", (d / "clips").string(), "--count", "12", "--frames", "8", "--size", "16", "--seed", "3"});
    videoCli.run({"train", "video-vae", "--data", (d / "clips").string(), "--preset", "tiny", "-o", (d / "vae.fsm").string(),
         "--steps", "20", "--batch", "4"});
    videoCli.run({"train", "video-ldm", "--vae", (d / "vae.fsm").string(), "--data", (d / "clips").string(), "--preset", "tiny",
         "-o", (d / "model.fsm").string(), "--steps", "20", "--batch", "8"});
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path model() { return dir_->path / "model.fsm"; }
  static test::TempDir* dir_;
  static std::string setupError_;
};
test::TempDir* VideoCli::dir_ = nullptr;
std::string VideoCli::setupError_;

TEST_F(VideoCli, Mp4DecodesBackWithTheRightStreamAndFramesMatchTheField) {
  const fs::path out = dir_->path / "clip.mp4";
  videoCli.run({"sample", "--model", model().string(), "--seed", "2", "--steps", "4", "--size", "64x48", "--fps", "12",
       "--seconds", "1.5", "-o", out.string()});
  VideoReader reader(out);
  const VideoStreamInfo& info = reader.info();
  EXPECT_EQ(info.codec, libx264Available() ? "h264" : "mpeg4");
  EXPECT_EQ(info.pixelFormat, "yuv420p");
  EXPECT_EQ(info.width, 64);
  EXPECT_EQ(info.height, 48);
  EXPECT_EQ(info.frameRateNum * 1.0 / info.frameRateDen, 12.0);
  std::vector<VideoFrame> frames;
  for (VideoFrame f; reader.next(f);) frames.push_back(f);
  ASSERT_EQ(frames.size(), 18u) << "12 fps x 1.5 s";
  // Frame k is the field at t_k = k / 17: decode it directly from the same sample.
  auto m = VideoModel::load(model());
  const VideoFields fields = m->makeFields(m->sampleLatent(2, 4));
  double worst = 99, changeFirstLast = 0;
  for (int k : {0, 5, 11, 17}) {
    const auto direct = m->decodeFrame(fields, k / 17.0, 64, 48);
    worst = std::min(worst, psnr01(frameTensor(frames[size_t(k)]), direct));
  }
  changeFirstLast = (frameTensor(frames[0]) - frameTensor(frames[17])).abs().mean().item<double>();
  EXPECT_GE(worst, 30.0) << "frame k of the MP4 against the direct decode at t_k";
  // The test can tell frames apart: the first and the last differ more than the codec's error.
  EXPECT_GT(changeFirstLast, 0.004);
}

TEST_F(VideoCli, OneFrameAtAFractionalTimeAndAPngSequence) {
  const fs::path png = dir_->path / "frame.png";
  videoCli.run({"sample", "--model", model().string(), "--seed", "2", "--steps", "4", "--size", "32x32", "--t", "0.37", "-o",
       png.string()});
  const Rgba8Image img = readImageRgba8(png);
  ASSERT_EQ(img.width, 32);
  auto m = VideoModel::load(model());
  const auto direct = m->decodeFrame(m->makeFields(m->sampleLatent(2, 4)), 0.37, 32, 32);
  auto got = torch::from_blob(const_cast<uint8_t*>(img.pixels.data()), {32, 32, 4}, torch::kUInt8).narrow(2, 0, 3);
  EXPECT_LE((got.to(torch::kFloat32) / 255 - direct).abs().max().item<double>(), 0.5 / 255 + 1e-6);
  const fs::path seq = dir_->path / "frames";
  videoCli.run({"sample", "--model", model().string(), "--seed", "2", "--steps", "4", "--size", "16x16", "--fps", "4", "--seconds",
       "2", "-o", seq.string()});
  int n = 0;
  for (const auto& e : fs::directory_iterator(seq)) n += e.path().extension() == ".png";
  EXPECT_EQ(n, 8);
}

// The in-between experiment (issue 13): trained on the even frames only, the VAE's field is
// scored at the odd times it never saw, next to blending the neighbouring frames; both numbers
// land in the checkpoint's metrics (the model card's table).
TEST_F(VideoCli, FrameStrideTwoScoresTheUnseenFramesAgainstBlendingTheirNeighbours) {
  const fs::path vae = dir_->path / "vae_even.fsm";
  videoCli.run({"train", "video-vae", "--data", (dir_->path / "clips").string(), "--preset", "tiny", "-o", vae.string(),
       "--steps", "6", "--batch", "4", "--frame-stride", "2"});
  const auto config = peekCheckpointConfig(vae);
  EXPECT_EQ(config.at("data").at("frame_stride"), 2);
  const auto& m = config.at("metrics");
  const double field = m.at("in_between_psnr_db"), blend = m.at("in_between_blend_psnr_db");
  EXPECT_GT(field, 3.0);
  EXPECT_LT(field, 60.0) << "a 6-step model does not reproduce frames it never saw";
  // The blend baseline, computed here from the held-out clips: odd frame k against the mean of
  // frames k - 1 and k + 1 (the last one against frame T - 2).
  const ClipDataset data = loadClipDataset(dir_->path / "clips");
  ASSERT_FALSE(data.test.empty());
  const auto clips = clipsToTensor(data.test).narrow(0, 0, std::min<int64_t>(16, int64_t(data.test.size()))).to(torch::kFloat64) / 255.0;
  const int64_t T = clips.size(1);
  double se = 0;
  int64_t n = 0;
  for (int64_t k = 1; k < T; k += 2) {
    const auto guess = k + 1 < T ? (clips.select(1, k - 1) + clips.select(1, k + 1)) / 2 : clips.select(1, k - 1);
    se += (guess - clips.select(1, k)).pow(2).sum().item<double>();
    n += clips.select(1, k).numel();
  }
  EXPECT_NEAR(blend, 10 * std::log10(1.0 / (se / double(n))), 0.3);
  // A stride-1 VAE reports no in-between numbers.
  const auto plain = peekCheckpointConfig(dir_->path / "vae.fsm").at("metrics");
  EXPECT_LT(plain.at("in_between_psnr_db").get<double>(), 0);
}

TEST_F(VideoCli, BadInputsAreNamedAndWriteNothing) {
  const fs::path d = dir_->path;
  videoCli.expectFails({"sample", "--model", model().string(), "-o", (d / "no_such_dir" / "x.mp4").string(), "--steps", "2"},
              "no_such_dir");
  EXPECT_FALSE(fs::exists(d / "no_such_dir"));
  videoCli.expectFails({"sample", "--model", model().string(), "-o", (d / "x.mov").string(), "--steps", "2"}, "x.mov");
  // A picture extension that is not written is refused, not made into a folder of that name.
  videoCli.expectFails({"sample", "--model", model().string(), "-o", (d / "x.jpg").string(), "--steps", "2"},
                       "clips are written as .mp4");
  EXPECT_FALSE(std::filesystem::exists(d / "x.jpg"));
  videoCli.expectFails({"sample", "--model", model().string(), "-o", "", "--steps", "2"}, "-o is empty");
  videoCli.expectFails({"sample", "--model", model().string(), "-o", (d / "x.mp4").string(), "--t", "0.5"}, "--t");
  videoCli.expectFails({"sample", "--model", model().string(), "-o", (d / "x.mp4").string(), "--fps", "0"}, "--fps");
  EXPECT_FALSE(fs::exists(d / "x.mp4"));
  // Odd sizes: rounded to even and said; the file holds the even size.
  testing::internal::CaptureStdout();
  videoCli.run({"sample", "--model", model().string(), "--seed", "1", "--steps", "2", "--size", "33x21", "--fps", "4", "--seconds",
       "1", "-o", (d / "odd.mp4").string()});
  const std::string said = testing::internal::GetCapturedStdout();
  EXPECT_NE(said.find("note:"), std::string::npos) << said;
  VideoReader odd(d / "odd.mp4");
  EXPECT_EQ(odd.info().width, 32);
  EXPECT_EQ(odd.info().height, 20);
  // A truncated checkpoint is named.
  {
    std::ofstream f(d / "broken.fsm", std::ios::binary);
    f << "FSMODEL";
  }
  videoCli.expectFails({"sample", "--model", (d / "broken.fsm").string(), "-o", (d / "y.mp4").string()}, "broken.fsm");
  EXPECT_FALSE(fs::exists(d / "y.mp4"));
  // A VAE alone cannot sample.
  videoCli.expectFails({"sample", "--model", (d / "vae.fsm").string(), "-o", (d / "y.mp4").string(), "--steps", "2"}, "vae.fsm");
  // Training on a folder that is not a clip data set.
  fs::create_directories(d / "empty");
  videoCli.expectFails({"train", "video-vae", "--data", (d / "empty").string(), "--preset", "tiny", "-o", (d / "v2.fsm").string(),
               "--steps", "2"},
              "empty");
  EXPECT_FALSE(fs::exists(d / "v2.fsm"));
}

}  // namespace
}  // namespace fieldscope
