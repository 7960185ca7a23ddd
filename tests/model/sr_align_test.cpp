// `train sr-align` (model/train/sr_align_trainer.h) on a tiny SR model whose decoder responds to
// its latent: fine-tuning the UNet through the frozen decoder brings the pictures decoded from
// its predicted clean latents closer to the windows, and leaves the autoencoder as it was.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "app/domains/sr/cli/sr_commands.h"
#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_diffusion.h"
#include "model/train/sr_align_trainer.h"
#include "tests/model/cli_runner.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

TEST(SrAlign, TheUNetLearnsWhatTheDecoderMakesOfItsPrediction) {
  test::TempDir dir("sr_align");
  const test::CliRunner cli(DomainList{{"sr", registerSrCommands, nullptr}});
  test::writeImages(dir.path / "photos", test::syntheticFaces(4, 64));
  cli.run({"data", "photos", "--from", (dir.path / "photos").string(), "-o", (dir.path / "data").string(), "--crop",
           "32", "--crops", "4", "--test-crops", "1", "--short-side", "0", "--min-detail", "0"});

  // A tiny autoencoder with random weights large enough that its decoder depends on the latent,
  // and a tiny conditioned UNet: the shape of an sr-ldm file.
  torch::manual_seed(0);
  SrAutoencoder ae(SrAeConfig::preset_("tiny"));
  {
    torch::NoGradGuard noGrad;
    for (auto& p : ae->parameters()) p.add_(torch::randn_like(p) * 0.2);
  }
  const int channels = ae->config().latentChannels;
  UNetConfig u = UNetConfig::preset_("tiny", channels, 32 / ae->config().downFactor());
  u.condChannels = channels;
  UNet unet(u);
  Checkpoint m;
  m.config = {{"domain", "sr"}, {"kind", "vae+ldm"}};
  storeSrAutoencoder(m, ae);
  storeLatentDiffusion(m, unet, 1.0);
  storeSrDiffusionCondition(m, 1.0);
  saveCheckpoint(dir.path / "ldm.fsm", m);

  SrAlignTrainOptions o;
  o.modelPath = dir.path / "ldm.fsm";
  o.dataDir = dir.path / "data";
  o.run.out = dir.path / "aligned.fsm";
  o.run.steps = 40;
  o.run.checkpointEvery = 40;
  o.run.quiet = true;
  o.pool = 8;
  o.batch = 4;
  o.lr = 5e-3;
  o.window = 32;
  o.inversion.steps = 2;
  const SrAlignTrainResult r = trainSrAlign(o);
  EXPECT_EQ(r.stepsDone, 40);
  std::cout << "  pairs decoded from x0: " << r.x0PsnrBefore << " dB -> " << r.x0PsnrAfter << " dB\n";
  EXPECT_GT(r.x0PsnrAfter, r.x0PsnrBefore + 0.1);

  const Checkpoint aligned = loadCheckpoint(o.run.out, "sr");
  for (const auto& [name, t] : m.tensors)
    if (name.rfind("vae.", 0) == 0) EXPECT_TRUE(torch::equal(t, aligned.at(name))) << name;
  EXPECT_DOUBLE_EQ(aligned.config["training_align"]["x0_psnr_db"]["after"].get<double>(), r.x0PsnrAfter);
  EXPECT_NO_THROW(restoreSrDiffusion(aligned));
}

}  // namespace
}  // namespace fieldscope
