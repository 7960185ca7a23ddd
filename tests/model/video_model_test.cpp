// The video model (model/video/): the rolled-plane readout reads each plane at the right
// projection of (x, y, t), the VAE's sizes through the whole model, a frame decoded over a part of
// the picture equals that part of the whole frame (the field is continuous, not a resampled image),
// training batches sample the pixels they claim, the blend of skipped frames, a few steps of the
// real loss fit two clips, and the checkpoint round trip.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/checkpoint/checkpoint.h"
#include "model/video/clip_tensors.h"
#include "model/video/video_eval.h"
#include "model/video/video_model.h"
#include "model/video/video_readout.h"
#include "model/video/video_vae.h"
#include "model/video/video_vae_io.h"
#include "test_support.h"

namespace fieldscope {
namespace {

TEST(VideoReadout, EachPlaneIsReadAtItsProjection) {
  // One channel per plane, each a ramp along one axis: xy along x, xt along t, yt along y.
  const int64_t xyRows = 8, timeRows = 4, W = 8;
  auto level = torch::zeros({1, xyRows + 2 * timeRows, W});
  for (int64_t c = 0; c < W; ++c) level[0].narrow(0, 0, xyRows).select(1, c).fill_(double(c));  // xy: value = column (x)
  for (int64_t r = 0; r < timeRows; ++r) level[0][xyRows + r].fill_(10.0 * r);                  // xt: value = 10 row (t)
  for (int64_t c = 0; c < W; ++c) level[0].narrow(0, xyRows + timeRows, timeRows).select(1, c).fill_(100.0 * c);  // yt: 100 column (y)
  // The centre of column 3 in x, of column 5 in y, of time row 2.
  const double x = (2 * 3 + 1) / double(W) - 1, y = (2 * 5 + 1) / double(W) - 1, t = (2 * 2 + 1) / double(timeRows) - 1;
  auto f = sampleRolledPlanes(level, xyRows, timeRows, torch::tensor({{x, y, t}}, torch::kFloat32));
  ASSERT_EQ(f.sizes(), (std::vector<int64_t>{1, 3}));
  EXPECT_NEAR(f[0][0].item<double>(), 3.0, 1e-4) << "xy read at x";
  EXPECT_NEAR(f[0][1].item<double>(), 20.0, 1e-4) << "xt read at t";
  EXPECT_NEAR(f[0][2].item<double>(), 500.0, 1e-4) << "yt read at y";
}

TEST(VideoReadout, FramesSitAtTheCentresOfTheTimeCells) {
  const int T = 16;
  for (int k = 0; k < T; ++k) EXPECT_NEAR(videoUnitTime(double(k) / (T - 1), T), (2.0 * k + 1) / T - 1, 1e-12);
  EXPECT_NEAR(videoUnitPixel(0, 64), -1 + 1.0 / 64, 1e-12);
  EXPECT_NEAR(videoUnitPixel(3, 4, 0.5, 1.0), 2 * (0.5 + 3.5 / 4 * 0.5) - 1, 1e-12);
}

TEST(VideoVae, ShapesThroughTheWholeModel) {
  const VideoVaeConfig c = VideoVaeConfig::preset_("tiny");
  torch::manual_seed(0);
  VideoVae vae(c);
  auto clips = torch::rand({2, c.frames, 3, c.size, c.size}) * 2 - 1;
  Posterior p = vae->encode(clips);
  EXPECT_EQ(p.mean.sizes(), (std::vector<int64_t>{2, c.latentChannels, c.latentRows(), c.latentWidth()}));
  VideoFields f = vae->decodeFields(p.mean);
  ASSERT_EQ(f.levels.size(), 3u);
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(f.levels[k].sizes(),
              (std::vector<int64_t>{2, c.fieldChannels, int64_t(c.latentRows()) << k, int64_t(c.latentWidth()) << k}));
  auto rgb = vae->colours(f, torch::rand({2, 50, 3}) * 2 - 1);
  EXPECT_EQ(rgb.sizes(), (std::vector<int64_t>{2, 50, 3}));
  EXPECT_THROW(vae->decodeFields(torch::zeros({1, c.latentChannels, 3, 3})), std::invalid_argument);
}

TEST(VideoModel, ARegionOfAFrameIsThatPartOfTheWholeFrameAndTimeMatters) {
  auto m = VideoModel::untrained("tiny", {}, 3);
  const VideoFields f = m->makeFields(m->sampleLatent(5, 4));
  const auto whole = m->decodeFrame(f, 0.37, 64, 48);
  ASSERT_EQ(whole.sizes(), (std::vector<int64_t>{48, 64, 3}));
  const auto part = m->decodeFrame(f, 0.37, 32, 16, {0.5, 0.25, 1.0, 7.0 / 12.0});
  EXPECT_TRUE(torch::allclose(part, whole.narrow(0, 12, 16).narrow(1, 32, 32), 1e-5, 1e-5));
  const auto later = m->decodeFrame(f, 0.9, 64, 48);
  EXPECT_GT((later - whole).abs().mean().item<double>(), 1e-4) << "the field does not depend on t";
  EXPECT_TRUE(torch::equal(m->decodeFrame(f, 0.37, 64, 48), whole)) << "decoding is deterministic";
  EXPECT_TRUE(torch::equal(m->sampleLatent(5, 4), m->sampleLatent(5, 4)));
}

TEST(ClipTensors, BatchesSampleThePixelsTheyClaimAndSkipOddFrames) {
  const int64_t N = 3, T = 6, S = 8;
  auto all = torch::randint(256, {N, T, 3, S, S}, torch::kUInt8);
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(7);
  for (int stride : {1, 2}) {
    ClipBatch b = drawClipBatch(all, torch::tensor({2, 0}), 200, stride, gen);
    ASSERT_EQ(b.points.sizes(), (std::vector<int64_t>{2, 200, 3}));
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t q = 0; q < 200; q += 17) {
        const int64_t clip = i == 0 ? 2 : 0;
        const int64_t x = std::lround(((b.points[i][q][0].item<double>() + 1) * S - 1) / 2);
        const int64_t y = std::lround(((b.points[i][q][1].item<double>() + 1) * S - 1) / 2);
        const int64_t k = std::lround(((b.points[i][q][2].item<double>() + 1) * T - 1) / 2);
        if (stride == 2) EXPECT_EQ(k % 2, 0) << "an odd frame was sampled";
        for (int c = 0; c < 3; ++c)
          EXPECT_NEAR((b.colours[i][q][c].item<double>() + 1) * 127.5, all[clip][k][c][y][x].item<double>(), 1e-3);
      }
  }
  auto blended = blendSkippedFrames(all, 2);
  EXPECT_TRUE(torch::equal(blended.select(1, 2), all.select(1, 2)));
  auto mid = (all.select(1, 2).to(torch::kFloat32) + all.select(1, 4).to(torch::kFloat32)) / 2;
  EXPECT_LE((blended.select(1, 3).to(torch::kFloat32) - mid).abs().max().item<double>(), 0.5 + 1e-6);
  EXPECT_TRUE(torch::equal(blended.select(1, 5), all.select(1, 4))) << "past the end: the last kept frame";
}

// Two smooth moving-disc clips: a few hundred steps of the trainer's loss must fit them far better
// than the untrained model does.
TEST(VideoVae, AFewStepsFitTwoMovingDiscs) {
  const VideoVaeConfig c = VideoVaeConfig::preset_("tiny");
  const int64_t T = c.frames, S = c.size;
  auto clips = torch::zeros({2, T, 3, S, S}, torch::kUInt8);
  auto yy = torch::arange(S, torch::kFloat32).view({S, 1}), xx = torch::arange(S, torch::kFloat32).view({1, S});
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t k = 0; k < T; ++k) {
      const double cx = 3 + (S - 6) * double(k) / (T - 1), cy = i == 0 ? S / 2.0 : 4;
      auto disc = torch::sigmoid(2.5 * (4 - torch::sqrt((xx - cx).pow(2) + (yy - cy).pow(2))));
      clips[i][k][0] = (disc * 230).to(torch::kUInt8);
      clips[i][k][1] = ((1 - disc) * 120 + 20).to(torch::kUInt8);
      clips[i][k][2] = (disc * (i == 0 ? 40 : 200)).to(torch::kUInt8);
    }
  torch::manual_seed(1);
  VideoVae vae(c);
  const double before = evaluateVideoReconstruction(vae, clips).psnr;
  torch::optim::Adam adam(vae->parameters(), torch::optim::AdamOptions(3e-3));
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(3);
  vae->train();
  for (int step = 0; step < 150; ++step) {
    ClipBatch b = drawClipBatch(clips, torch::tensor({0, 1}), 512, 1, gen);
    Posterior p = vae->encode(b.clips);
    auto loss = (vae->colours(vae->decodeFields(p.mean), b.points) - b.colours).abs().mean();
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  const double after = evaluateVideoReconstruction(vae, clips).psnr;
  EXPECT_GT(after, before + 6) << "before " << before << " dB, after " << after << " dB";
  EXPECT_GT(after, 20.0);
}

TEST(VideoModel, CheckpointRoundTripAndWrongDomainIsNamed) {
  test::TempDir dir("video_ckpt");
  torch::manual_seed(2);
  VideoVae vae(VideoVaeConfig::preset_("tiny"));
  Checkpoint ck;
  ck.config = {{"domain", "video"}, {"kind", "vae"}};
  storeVideoVae(ck, vae);
  saveCheckpoint(dir.path / "v.fsm", ck);
  auto m = VideoModel::load(dir.path / "v.fsm");
  EXPECT_FALSE(m->canSample());
  auto clip = torch::rand({8, 3, 16, 16});
  torch::NoGradGuard ng;
  vae->eval();
  EXPECT_TRUE(torch::allclose(m->encode(clip), vae->encode(clip.unsqueeze(0) * 2 - 1).mean, 1e-5, 1e-5));
  try {
    m->sampleLatent(1);
    FAIL() << "a VAE-only model sampled";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("v.fsm"), std::string::npos) << e.what();
  }
  ck.config["domain"] = "shape";
  saveCheckpoint(dir.path / "s.fsm", ck);
  try {
    VideoModel::load(dir.path / "s.fsm");
    FAIL() << "a shape-domain file loaded as a video model";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("s.fsm"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fieldscope
