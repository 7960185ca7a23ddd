// The super-resolution commands end to end on a tiny model: `train sr-ae` a few steps on a photo
// folder cut by `data photos --from`, then `upscale` -- the exact output size at a real scale,
// 16-bit depth and alpha kept, a folder in to a folder out -- and the bad inputs (a clear message
// naming the file or option, nothing written); `train sr-ldm` and `train sr-align` on top of it;
// `eval sr` writes the held-out scores with the LR
// consistency and the before/after strip.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "app/cli/command_registry.h"
#include "app/cli/model_commands.h"
#include "app/domains/image/cli/image_commands.h"
#include "app/domains/sr/cli/sr_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/io/png_file.h"
#include "model/photo_data/photo_pixels.h"
#include "model/io/sha256.h"
#include "model/sr/sr_ae_io.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

const test::CliRunner srCli(DomainList{{"image", registerImageCommands, nullptr}, {"sr", registerSrCommands, nullptr}});

// A w x h picture with `channels` channels at `depth` bits: stripes and a soft alpha ramp.
void writePicture(const fs::path& p, int w, int h, int channels, int depth) {
  std::vector<std::uint16_t> s(size_t(w) * h * channels);
  const int maxV = depth == 16 ? 65535 : 255;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < channels; ++c)
        s[(size_t(y) * w + x) * channels + c] =
            std::uint16_t(c == 3 ? maxV * x / std::max(1, w - 1) : maxV * (((x / 3 + y / 5 + c) % 4) + 1) / 5);
  PngRowWriter wr(p, w, h, channels, depth);
  wr.writeRows(s.data(), h);
  wr.finish();
}

class SrCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("sr_cli");
    try {
      const fs::path photos = dir_->path / "photos";
      fs::create_directories(photos);
      for (int i = 0; i < 6; ++i) writePicture(photos / ("p" + std::to_string(i) + ".png"), 90, 70, 3, 8);
      srCli.run({"data", "photos", "--from", photos.string(), "-o", (dir_->path / "data").string(), "--crop", "32",
           "--crops", "4", "--test-crops", "2", "--short-side", "0", "--min-detail", "0"});
      srCli.run({"train", "sr-ae", "--data", (dir_->path / "data").string(), "--preset", "tiny", "--steps", "20", "--lr", "0.01", "--batch",
           "2", "-o", model().string()});
      srCli.run({"train", "sr-ldm", "--vae", model().string(), "--data", (dir_->path / "data").string(), "--preset",
                 "tiny", "--pool", "4", "--invert-steps", "2", "--steps", "2", "--batch", "2", "-o", ldmModel().string()});
      srCli.run({"train", "sr-align", "--model", ldmModel().string(), "--data", (dir_->path / "data").string(), "--pool",
                 "8", "--invert-steps", "2", "--steps", "30", "--batch", "4", "--lr", "1e-3", "-o", alignModel().string()});
    } catch (const std::exception& e) {
      setupError_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(setupError_.empty()) << setupError_; }
  static fs::path model() { return dir_->path / "sr.fsm"; }
  static fs::path ldmModel() { return dir_->path / "sr-ldm.fsm"; }
  static fs::path alignModel() { return dir_->path / "sr-align.fsm"; }
  static test::TempDir* dir_;
  static std::string setupError_;
};
test::TempDir* SrCli::dir_ = nullptr;
std::string SrCli::setupError_;

TEST_F(SrCli, TrainedModelHasItsHeldOutScores) {
  const Checkpoint c = loadCheckpoint(model(), "sr");
  EXPECT_EQ(c.config["kind"], "ae");
  ASSERT_TRUE(c.config["metrics"].contains("by_scale"));
  EXPECT_EQ(c.config["metrics"]["by_scale"].size(), 4u);
  EXPECT_GT(c.config["metrics"]["by_scale"][2]["bicubic_psnr_db"].get<double>(), 10);
}

// A deeper decoder started from the trained tiny model: the card names the file it started from
// with its digest and training record, also after the run was split by --stop-at and --resume; a
// file that is not an SR autoencoder is refused by name.
TEST_F(SrCli, DeeperDecoderStartsFromATrainedModelAndRecordsIt) {
  const fs::path deep = dir_->path / "deep.fsm";
  const std::string data = (dir_->path / "data").string();
  const std::vector<std::string> train{"train", "sr-ae", "--data", data, "--preset", "tiny", "--decoder-blocks", "2",
                                       "--init-from", model().string(), "--steps", "4", "--batch", "2", "-o", deep.string()};
  std::vector<std::string> first = train, rest = train;
  first.insert(first.end(), {"--stop-at", "2"});
  rest.erase(rest.begin() + 8, rest.begin() + 10);  // --resume alone: the record comes from the state
  rest.push_back("--resume");
  srCli.run(first);
  srCli.run(rest);
  const Checkpoint c = loadCheckpoint(deep, "sr");
  EXPECT_EQ(c.config["vae"]["decoder_blocks"], 2);
  EXPECT_EQ(c.config["training"]["steps"], 4);
  const auto& from = c.config["training"]["init_from"];
  ASSERT_TRUE(from.is_object()) << c.config["training"].dump();
  EXPECT_EQ(from["sha256"], sha256File(model()));
  EXPECT_EQ(from["vae"]["decoder_blocks"], 1);
  EXPECT_EQ(from["training"]["steps"], 20);
  std::vector<std::string> wrong = train;
  wrong[9] = ldmModel().string();
  wrong.back() = (dir_->path / "never.fsm").string();
  srCli.expectFails(wrong, "sr-ldm.fsm");  // an sr-ldm file is not an autoencoder to start from
  EXPECT_FALSE(fs::exists(dir_->path / "never.fsm"));
}

TEST_F(SrCli, UpscaleGivesTheExactSizeAndKeepsDepthAndAlpha) {
  const fs::path in8 = dir_->path / "rgb8.png", in16 = dir_->path / "rgba16.png";
  writePicture(in8, 41, 27, 3, 8);
  writePicture(in16, 30, 20, 4, 16);
  srCli.run({"upscale", in8.string(), "--scale", "3.7", "--model", model().string(), "-o", (dir_->path / "o8.png").string()});
  const PhotoPixels o8 = readPhotoPixels(dir_->path / "o8.png");
  EXPECT_EQ(o8.width, 152);  // round(41 * 3.7) = 151.7
  EXPECT_EQ(o8.height, 100); // round(27 * 3.7) = 99.9
  EXPECT_EQ(o8.bitDepth, 8);
  EXPECT_EQ(o8.channels, 3);
  srCli.run({"upscale", in16.string(), "--size", "64x48", "--model", model().string(), "--decoder-only", "-o",
       (dir_->path / "o16.png").string()});
  const PhotoPixels o16 = readPhotoPixels(dir_->path / "o16.png");
  EXPECT_EQ(o16.width, 64);
  EXPECT_EQ(o16.height, 48);
  EXPECT_EQ(o16.bitDepth, 16);
  ASSERT_EQ(o16.channels, 4);
  // Alpha is the input's ramp resized on its own: 0 at the left edge, full at the right.
  EXPECT_LT(o16.samples[(24 * 64 + 0) * 4 + 3], 3000);
  EXPECT_GT(o16.samples[(24 * 64 + 63) * 4 + 3], 62000);
  bool fine = false;  // 16-bit output uses more than 256 levels
  for (size_t i = 0; i < o16.samples.size(); ++i) fine = fine || (o16.samples[i] % 257) != 0;
  EXPECT_TRUE(fine);
}

TEST_F(SrCli, AFolderGoesToAFolderAndFailuresAreListed) {
  const fs::path in = dir_->path / "batch";
  fs::create_directories(in);
  writePicture(in / "a.png", 20, 16, 3, 8);
  writePicture(in / "b.png", 16, 20, 3, 8);
  std::ofstream(in / "c.png") << "broken";
  try {
    srCli.run({"upscale", in.string(), "--scale", "2", "--model", model().string(), "-o", (dir_->path / "batch-out").string()});
    ADD_FAILURE() << "a broken input must make the batch fail";
  } catch (const CLI::RuntimeError&) {
  }
  EXPECT_EQ(readPhotoPixels(dir_->path / "batch-out" / "a.png").width, 40);
  EXPECT_EQ(readPhotoPixels(dir_->path / "batch-out" / "b.png").height, 40);
  EXPECT_FALSE(fs::exists(dir_->path / "batch-out" / "c.png"));
}

TEST_F(SrCli, BadInputsAreClearAndWriteNothing) {
  const fs::path in = dir_->path / "in.png", out = dir_->path / "bad-out.png";
  writePicture(in, 16, 16, 3, 8);
  const std::string m = model().string();
  srCli.expectFails({"upscale", in.string(), "--scale", "0", "--model", m, "-o", out.string()}, "above 0");
  srCli.expectFails({"upscale", in.string(), "--scale", "-2", "--model", m, "-o", out.string()}, "above 0");
  srCli.expectFails({"upscale", in.string(), "--scale", "nan", "--model", m, "-o", out.string()}, "scale");
  srCli.expectFails({"upscale", in.string(), "--scale", "65", "--model", m, "-o", out.string()}, "limit of 64");
  srCli.expectFails({"upscale", in.string(), "--model", m, "-o", out.string()}, "--scale");
  std::ofstream(dir_->path / "trunc.png") << std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  srCli.expectFails({"upscale", (dir_->path / "trunc.png").string(), "--scale", "2", "--model", m, "-o", out.string()}, "trunc.png");
  srCli.expectFails({"upscale", in.string(), "--scale", "2", "--model", m, "-o", (dir_->path / "nodir" / "x.png").string()},
              "x.png");
  // An image model given to upscale: the message names the domain.
  Checkpoint image;
  image.config = {{"domain", "image"}, {"kind", "vae"}};
  image.tensors["w"] = torch::zeros({1});
  saveCheckpoint(dir_->path / "image.fsm", image);
  srCli.expectFails({"upscale", in.string(), "--scale", "2", "--model", (dir_->path / "image.fsm").string(), "-o", out.string()},
              "image");
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(SrCli, EvalWritesTheScoresAndTheBeforeAfterStrip) {
  const fs::path json = dir_->path / "eval.json", strip = dir_->path / "strip.png";
  ::testing::internal::CaptureStderr();
  srCli.run({"eval", "sr", "--model", model().string(), "--data", (dir_->path / "data").string(), "-o", json.string(),
             "--pictures", strip.string()});
  const std::string progress = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(progress.find("crops/s"), std::string::npos) << "a progress line while it scores: " << progress;
  EXPECT_NE(progress.find("ETA"), std::string::npos) << progress;
  std::ifstream in(json);
  const nlohmann::json j = nlohmann::json::parse(in);
  ASSERT_EQ(j.at("by_scale").size(), 4u);
  EXPECT_GT(j.at("crops").get<int>(), 0);
  EXPECT_NE(j.at("split").get<std::string>().find("training"), std::string::npos) << "this tiny set holds nothing out";
  for (const auto& row : j.at("by_scale")) {
    EXPECT_GT(row.at("bicubic_psnr_db").get<double>(), 10);
    EXPECT_GT(row.at("decoder_lr_consistency_psnr_db").get<double>(), 10);
  }
  const Rgba8Image im = readImageRgba8(strip);
  EXPECT_EQ(im.width, 4 * 32 + 5 * 2) << "four columns of 32 px crops, 2 px gaps between and around";
  // An image model given to eval sr: the message names the domain.
  Checkpoint image;
  image.config = {{"domain", "image"}, {"kind", "vae"}};
  image.tensors["w"] = torch::zeros({1});
  saveCheckpoint(dir_->path / "image-for-eval.fsm", image);
  srCli.expectFails({"eval", "sr", "--model", (dir_->path / "image-for-eval.fsm").string(), "--data",
                     (dir_->path / "data").string()},
                    "image");
}

std::string fileBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(SrCli, DiffusionStageSamplesBySeedAndGivesMoreSamples) {
  const Checkpoint c = loadCheckpoint(ldmModel(), "sr");
  EXPECT_EQ(c.config["kind"], "vae+ldm");
  EXPECT_EQ(c.config["training_ldm"]["targets"]["pairs"], 4);
  const fs::path in = dir_->path / "diff-in.png";
  writePicture(in, 22, 18, 3, 8);
  const std::string m = ldmModel().string();
  srCli.run({"upscale", in.string(), "--scale", "2.5", "--model", m, "--samples", "2", "--steps", "3", "-o",
             (dir_->path / "d.png").string()});
  const PhotoPixels s0 = readPhotoPixels(dir_->path / "d-s0.png"), s1 = readPhotoPixels(dir_->path / "d-s1.png");
  EXPECT_EQ(s0.width, 55);
  EXPECT_EQ(s0.height, 45);
  EXPECT_NE(s0.samples, s1.samples) << "two seeds, two samples";
  EXPECT_FALSE(fs::exists(dir_->path / "d.png"));
  // A seed is a sample: asked alone it is the same picture.
  srCli.run({"upscale", in.string(), "--scale", "2.5", "--model", m, "--seed", "1", "--steps", "3", "-o",
             (dir_->path / "again.png").string()});
  EXPECT_EQ(fileBytes(dir_->path / "again.png"), fileBytes(dir_->path / "d-s1.png"));
  // --decoder-only skips the diffusion stage: the autoencoder's own result.
  srCli.run({"upscale", in.string(), "--scale", "2.5", "--model", m, "--decoder-only", "-o", (dir_->path / "do1.png").string()});
  srCli.run({"upscale", in.string(), "--scale", "2.5", "--model", model().string(), "-o", (dir_->path / "do2.png").string()});
  EXPECT_EQ(fileBytes(dir_->path / "do1.png"), fileBytes(dir_->path / "do2.png"));
  srCli.expectFails({"upscale", in.string(), "--scale", "2", "--model", model().string(), "--samples", "2", "-o",
                     (dir_->path / "x.png").string()},
                    "no diffusion stage");

  const fs::path json = dir_->path / "eval-ldm.json", strip = dir_->path / "strip-ldm.png";
  srCli.run({"eval", "sr", "--model", m, "--data", (dir_->path / "data").string(), "--samples", "2", "--steps", "2",
             "--diffusion-crops", "2", "-o", json.string(), "--pictures", strip.string()});
  std::ifstream j(json);
  const nlohmann::json scores = nlohmann::json::parse(j);
  ASSERT_EQ(scores.at("diffusion").at("by_scale").size(), 4u);
  EXPECT_EQ(scores["diffusion"]["crops"], 2);
  for (const auto& row : scores["diffusion"]["by_scale"]) {
    EXPECT_GT(row.at("one_sample_psnr_db").get<double>(), 5);
    EXPECT_GT(row.at("one_sample_lr_consistency_psnr_db").get<double>(), 5);
    // Bicubic and the decoder alone scored on the same crops, so the samples have a scale.
    EXPECT_GT(row.at("bicubic_psnr_db").get<double>(), 5);
    EXPECT_GT(row.at("decoder_psnr_db").get<double>(), 5);
  }
  EXPECT_EQ(readImageRgba8(strip).width, 6 * 32 + 7 * 2) << "input | bicubic | decoder | two samples | original";
}

// sr-align fine-tunes the sr-ldm model's UNet through the frozen decoder: the autoencoder is the
// same, the UNet is not, both training records are kept, the result upscales like any SR model,
// and a file without a diffusion stage is refused.
TEST_F(SrCli, AlignmentTiesThePredictedLatentToThePicture) {
  const Checkpoint ldm = loadCheckpoint(ldmModel(), "sr"), aligned = loadCheckpoint(alignModel(), "sr");
  EXPECT_EQ(aligned.config["training_ldm"], ldm.config["training_ldm"]);
  const auto& x0 = aligned.config.at("training_align").at("x0_psnr_db");
  // (This tiny decoder barely responds to its latent, so the PSNR moves little here; that the
  // alignment raises it is tested in sr_align_test.cpp.)
  EXPECT_TRUE(x0.at("before").is_number() && x0.at("after").is_number());
  int unetChanged = 0;
  for (const auto& [name, t] : ldm.tensors) {
    if (name.rfind("vae.", 0) == 0) EXPECT_TRUE(torch::equal(t, aligned.at(name))) << name;
    if (name.rfind("ldm.", 0) == 0 && !torch::equal(t, aligned.at(name))) ++unetChanged;
  }
  EXPECT_GT(unetChanged, 0);
  const fs::path in = dir_->path / "align-in.png";
  writePicture(in, 20, 16, 3, 8);
  srCli.run({"upscale", in.string(), "--scale", "3", "--model", alignModel().string(), "--steps", "2", "-o",
             (dir_->path / "aligned.png").string()});
  const PhotoPixels up = readPhotoPixels(dir_->path / "aligned.png");
  EXPECT_EQ(up.width, 60);
  EXPECT_EQ(up.height, 48);
  srCli.expectFails({"train", "sr-align", "--model", model().string(), "--data", (dir_->path / "data").string(),
                     "--steps", "1", "-o", (dir_->path / "never.fsm").string()},
                    "no diffusion stage to align");
  EXPECT_FALSE(fs::exists(dir_->path / "never.fsm"));
}

}  // namespace
}  // namespace fieldscope
