// The SR diffusion stage's parts on tiny random models (docs/architecture.md "The
// super-resolution domain"): the conditioned UNet, the decoder reading a given latent (tiled as
// exactly as the decoder-only path), the target latents' inversion, and the windowed sampler
// (a seed's sample does not depend on its batch; one window is the plain DDIM sampler).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/ddim.h"
#include "model/sr/cubic_resample.h"
#include "model/sr/sr_diffusion.h"
#include "model/sr/sr_latent_inversion.h"
#include "model/sr/tiled_upscale.h"

namespace fieldscope {
namespace {

SrDiffusion tinyDiffusion(int channels, int resolution) {
  torch::manual_seed(11);
  UNetConfig u = UNetConfig::preset_("tiny", channels, resolution);
  u.condChannels = channels;
  SrDiffusion d;
  d.ldm.unet = UNet(u);
  d.ldm.unet->eval();
  {
    // The zero-initialised output layer would make every ε zero: give it weights.
    torch::NoGradGuard ng;
    for (auto& p : d.ldm.unet->named_parameters())
      if (p.key().rfind("conv_out.", 0) == 0) p.value().normal_(0, 0.05);
  }
  d.ldm.schedule = DiffusionSchedule::scaledLinear();
  d.ldm.latentScale = 2.0;
  d.condScale = 0.5;
  return d;
}

TEST(SrDiffusion, ConditionedUNetNeedsItsCondition) {
  UNetConfig c = UNetConfig::preset_("tiny", 4, 8);
  c.condChannels = 4;
  UNet u(c);
  const auto x = torch::randn({2, 4, 8, 8});
  const auto t = torch::tensor({10, 900}), s = torch::tensor({0.1f, 0.9f});
  EXPECT_EQ(u->forward(x, t, s, torch::randn({2, 4, 8, 8})).sizes(), x.sizes());
  EXPECT_THROW(u->forward(x, t, s), std::invalid_argument);
  EXPECT_THROW(u->forward(x, t, s, torch::randn({2, 3, 8, 8})), std::invalid_argument);
  EXPECT_EQ(UNetConfig::fromJson(c.toJson()).condChannels, 4);
  // An unconditional model's config is written as before (old files keep comparing equal).
  EXPECT_FALSE(UNetConfig::preset_("tiny", 4, 8).toJson().contains("cond_channels"));
  EXPECT_THROW(UNet(UNetConfig::preset_("tiny", 4, 8))->forward(x, t, s, torch::randn({2, 4, 8, 8})), std::invalid_argument);
}

TEST(SrDiffusion, DecodingAGivenLatentIsTiledExactly) {
  torch::manual_seed(5);
  SrAutoencoder ae(SrAeConfig::preset_("tiny"));
  ae->eval();
  const auto lr = torch::rand({1, 3, 23, 29}) * 2 - 1;
  const int64_t outW = 97, outH = 75;
  const TileSpec spec{32, receptiveMargin(ae->config())};
  const torch::Tensor latent = encodeUpsampledTiled(ae, lr, outW, outH, spec);
  ASSERT_EQ(latent.sizes(), (std::vector<int64_t>{1, 4, 19, 25}));
  {
    torch::NoGradGuard ng;
    const auto up = paddedUpRegion(lr, outH, outW, 0, 0, 76, 100);
    EXPECT_LT((latent - ae->encode(up)).abs().max().item<double>(), 1e-5) << "tiled encoding = whole encoding";
  }
  const auto collect = [&](const torch::Tensor& z) {
    torch::Tensor out = torch::zeros({1, 3, outH, outW});
    const auto sink = [&](const torch::Tensor& band, int64_t y0) { out.narrow(2, y0, band.size(2)).copy_(band); };
    EXPECT_TRUE(z.defined() ? upscaleFromLatent(ae, lr, z, outW, outH, spec, sink)
                            : upscaleDecoderOnly(ae, lr, outW, outH, spec, sink));
    return out;
  };
  const torch::Tensor decoderOnly = collect({});
  EXPECT_LT((collect(latent) - decoderOnly).abs().max().item<double>(), 1e-5);
  // Another latent gives another picture, read in the same tiles.
  const torch::Tensor other = collect(latent + 0.5 * torch::randn(latent.sizes()));
  EXPECT_GT((other - decoderOnly).abs().max().item<double>(), 1e-3);
  EXPECT_THROW(upscaleFromLatent(ae, lr, latent.narrow(3, 0, 20), outW, outH, spec, [](const torch::Tensor&, int64_t) {}),
               std::invalid_argument);
}

TEST(SrDiffusion, InvertedLatentsDecodeCloserToTheOriginal) {
  torch::manual_seed(3);
  SrAutoencoder ae(SrAeConfig::preset_("tiny"));
  ae->eval();
  const auto base = cubicResize(torch::rand({2, 3, 8, 8}) * 2 - 1, 16, 16).clamp(-1, 1);
  const auto up = cubicResize(cubicResize(base, 4, 4), 16, 16);
  // A picture some latent reproduces exactly: the decoding of a latent away from the input's own.
  torch::Tensor hr;
  {
    torch::NoGradGuard ng;
    const auto cond = ae->encode(up);
    hr = ae->render(ae->features(cond + 0.5 * cond.std() * torch::randn(cond.sizes())), up, 16, 16);
  }
  const InvertedLatents none = invertSrLatents(ae, hr, up, {.steps = 0});
  EXPECT_TRUE(torch::equal(none.target, none.cond));
  EXPECT_DOUBLE_EQ(none.psnrAfter, none.psnrBefore);
  const InvertedLatents inv = invertSrLatents(ae, hr, up, {.steps = 60, .stepSize = 0.1, .pull = 0});
  EXPECT_GT(inv.psnrAfter, inv.psnrBefore + 3) << "before " << inv.psnrBefore;
  EXPECT_TRUE(torch::equal(inv.cond, none.cond));
  for (const auto& p : ae->parameters()) EXPECT_TRUE(p.requires_grad()) << "the decoder's parameters are left as they were";
}

TEST(SrDiffusion, WindowedSamplerKeepsEachSeedsSampleAndOneWindowIsPlainDdim) {
  SrDiffusion d = tinyDiffusion(4, 8);
  const auto cond = torch::randn({2, 4, 22, 30});
  SrSampling s;
  s.steps = 4;
  s.windowCells = 8;
  s.overlapCells = 2;
  s.windowsPerBatch = 5;
  const torch::Tensor both = sampleSrLatents(d, cond, {3, 4}, s);
  ASSERT_EQ(both.sizes(), cond.sizes());
  const torch::Tensor alone = sampleSrLatents(d, cond.narrow(0, 1, 1), {4}, s);
  EXPECT_LT((both.narrow(0, 1, 1) - alone).abs().max().item<double>(), 1e-5);
  EXPECT_GT((sampleSrLatents(d, cond.narrow(0, 1, 1), {5}, s) - alone).abs().max().item<double>(), 1e-3);
  // The sample is the condition plus the detail the sampler made.
  EXPECT_GT((alone - cond.narrow(0, 1, 1)).abs().mean().item<double>(), 1e-3);

  // One window over the whole (padded) latent: exactly the DDIM sampler around the conditioned UNet.
  const auto small = torch::randn({1, 4, 8, 8});
  SrSampling one;
  one.steps = 4;
  one.windowCells = 8;
  const torch::Tensor viaWindows = sampleSrLatents(d, small, {9}, one);
  std::vector<torch::Generator> gens(1);
  const torch::Tensor xT = seedNoise(9, {4, 8, 8}, &gens[0]).unsqueeze(0);
  const torch::Tensor c = small * d.condScale;
  const torch::Tensor detail = ddimSampleWith(
      [&](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& q) { return d.ldm.unet->forward(x, t, q, c); },
      d.ldm.schedule, xT, 4, 0.0, gens);
  EXPECT_LT((viaWindows - (small + detail / d.ldm.latentScale)).abs().max().item<double>(), 1e-5);

  std::atomic<bool> cancel{true};
  one.cancel = &cancel;
  EXPECT_FALSE(sampleSrLatents(d, small, {9}, one).defined());
}

TEST(SrDiffusion, StoredAndRestoredWithItsCondition) {
  SrDiffusion d = tinyDiffusion(4, 8);
  Checkpoint c;
  c.file = "sr-ldm.fsm";
  EXPECT_FALSE(hasSrDiffusion(c));
  EXPECT_THROW(restoreSrDiffusion(c), std::runtime_error);
  storeLatentDiffusion(c, d.ldm.unet, d.ldm.latentScale);
  EXPECT_FALSE(hasSrDiffusion(c)) << "an unconditioned diffusion model is not an SR stage";
  storeSrDiffusionCondition(c, d.condScale);
  ASSERT_TRUE(hasSrDiffusion(c));
  SrDiffusion back = restoreSrDiffusion(c);
  EXPECT_DOUBLE_EQ(back.condScale, 0.5);
  EXPECT_DOUBLE_EQ(back.ldm.latentScale, 2.0);
  const auto cond = torch::randn({1, 4, 8, 8});
  SrSampling s;
  s.steps = 2;
  EXPECT_LT((sampleSrLatents(back, cond, {1}, s) - sampleSrLatents(d, cond, {1}, s)).abs().max().item<double>(), 1e-6);
  c.config["ldm"]["condition"]["scale"] = -1;
  try {
    restoreSrDiffusion(c);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("sr-ldm.fsm"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fieldscope
