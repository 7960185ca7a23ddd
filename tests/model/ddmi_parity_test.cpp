// The facts of DESIGN.md §5.1 "Details of the authors' image modules" that the faithful architecture
// (ImageVaeConfig::architecture "ddmi"; model/image/ddmi_*) must match, each on a tiny module.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <set>

#include "model/diffusion/ddim.h"
#include "model/diffusion/ddmi_unet.h"
#include "model/image/ddmi_autoencoder.h"
#include "model/image/ddmi_blocks.h"
#include "model/image/ddmi_readout.h"
#include "model/image/image_vae.h"
#include "model/image/region_decoder.h"

namespace fieldscope {
namespace {

ImageVaeConfig tinyDdmiConfig() { return ImageVaeConfig::preset_("ddmi-tiny"); }  // 16², widths 32/64/128

size_t countBlocks(const torch::nn::Module& m, const std::string& prefix) {
  std::set<std::string> blocks;
  for (const auto& p : m.named_parameters(true)) {
    const std::string& n = p.key();
    if (n.rfind(prefix, 0) != 0) continue;
    const auto end = n.find('.', n.find(".block.") + 7);
    if (n.find(".block.") != std::string::npos) blocks.insert(n.substr(0, end));
  }
  return blocks.size();
}

TEST(DdmiParity, TheDecoderHasOneMoreResidualBlockPerLevelThanTheEncoder) {
  const auto c = tinyDdmiConfig();
  DdmiEncoderImpl enc(c);
  DdmiDecoderImpl dec(c);
  for (int level = 0; level < 3; ++level) {
    EXPECT_EQ(countBlocks(enc, "down." + std::to_string(level) + ".block."), size_t(c.numResBlocks)) << level;
    EXPECT_EQ(countBlocks(dec, "up." + std::to_string(level) + ".block."), size_t(c.numResBlocks + 1)) << level;
  }
  // the upsample conv keeps the width; the next level's first block changes it with a 1x1 shortcut
  const auto params = dec.named_parameters(true);
  EXPECT_EQ(params["up.2.upsample.conv.weight"].sizes(), (std::vector<int64_t>{128, 128, 3, 3}));
  EXPECT_EQ(params["up.1.block.0.nin_shortcut.weight"].sizes(), (std::vector<int64_t>{64, 128, 1, 1}));
  EXPECT_EQ(params.find("up.1.block.1.nin_shortcut.weight"), nullptr);
  // the 1x1 convs around the latent
  EXPECT_EQ(params["post_quant_conv.weight"].sizes(), (std::vector<int64_t>{32, 4, 1, 1}));
  EXPECT_EQ(enc.named_parameters(true)["quant_conv.weight"].sizes(), (std::vector<int64_t>{8, 64, 1, 1}));
}

TEST(DdmiParity, EncoderDownsamplingPadsRightAndBottomOnly) {
  torch::manual_seed(3);
  DdmiDownsample down(32);
  const auto x = torch::randn({1, 32, 8, 8});
  const auto got = down->forward(x);
  ASSERT_EQ(got.sizes(), (std::vector<int64_t>{1, 32, 4, 4}));
  const auto w = down->named_parameters()["conv.weight"], b = down->named_parameters()["conv.bias"];
  namespace F = torch::nn::functional;
  const auto rightBottom = F::conv2d(F::pad(x, F::PadFuncOptions({0, 1, 0, 1})), w, F::Conv2dFuncOptions().bias(b).stride(2));
  const auto symmetric = F::conv2d(x, w, F::Conv2dFuncOptions().bias(b).stride(2).padding(1));
  EXPECT_LT((got - rightBottom).abs().max().item<double>(), 1e-6);
  EXPECT_GT((got - symmetric).abs().max().item<double>(), 1e-2);  // the symmetric reading differs
}

TEST(DdmiParity, DdimTakesTheAuthorsTimesteps) {
  const auto ts = ddmiTimesteps(1000, 50);  // int(linspace(-1, 999, 51)) reversed, the -1 dropped
  ASSERT_EQ(ts.size(), 50u);
  EXPECT_EQ(ts.front(), 999);
  EXPECT_EQ(ts[1], 979);
  EXPECT_EQ(ts.back(), 19);
  const auto t200 = ddmiTimesteps(1000, 200);
  EXPECT_EQ(t200[1], 994);
  EXPECT_EQ(t200.back(), 4);
  DiffusionSchedule s = DiffusionSchedule::scaledLinear();
  s.spacing = "ddmi";
  EXPECT_EQ(samplerTimesteps(s, 50), ts);
  s.spacing = "even";
  EXPECT_EQ(samplerTimesteps(s, 50), ddimTimesteps(1000, 50));  // this project's own models keep theirs
}

TEST(DdmiParity, TheUNetHasTheAuthorsNamesAndLegacyHeads) {
  DdmiUNetConfig c;  // in 4, mc 32, mult [1, 2], one res block, attention at ds 2, 32 channels a head
  DdmiUNetImpl unet(c);
  auto p = unet.named_parameters(true);
  EXPECT_EQ(p["time_embed.0.weight"].sizes(), (std::vector<int64_t>{128, 32}));
  EXPECT_EQ(p["input_blocks.0.0.weight"].sizes(), (std::vector<int64_t>{32, 4, 3, 3}));
  EXPECT_EQ(p["input_blocks.2.0.op.weight"].sizes(), (std::vector<int64_t>{32, 32, 3, 3}));
  EXPECT_EQ(p["input_blocks.3.1.qkv.weight"].sizes(), (std::vector<int64_t>{192, 64, 1}));
  EXPECT_EQ(p["middle_block.1.proj_out.weight"].sizes(), (std::vector<int64_t>{64, 64, 1}));
  EXPECT_EQ(p["output_blocks.0.0.skip_connection.weight"].sizes(), (std::vector<int64_t>{64, 128, 1, 1}));
  EXPECT_EQ(p["output_blocks.1.2.conv.weight"].sizes(), (std::vector<int64_t>{64, 64, 3, 3}));  // upsample after the level
  EXPECT_EQ(p["out.2.weight"].sizes(), (std::vector<int64_t>{4, 32, 3, 3}));
  EXPECT_EQ(p["mixing_logit"].sizes(), (std::vector<int64_t>{1, 4, 1, 1}));
  // the gate mixes towards sqrt(1 - abar) x_t: fully closed (logit -inf), eps is exactly that
  torch::NoGradGuard g;
  p["mixing_logit"].fill_(-100.0);
  const auto x = torch::randn({2, 4, 8, 8});
  const auto eps = unet.forward(x, torch::tensor({999, 10}), torch::tensor({0.9f, 0.1f}));
  EXPECT_LT((eps - x * torch::tensor({0.9f, 0.1f}).view({2, 1, 1, 1})).abs().max().item<double>(), 1e-5);
}

// `train image-vae --preset ddmi-small`: the authors' structure at the emoji set's sizes (64², latent
// 4 x 16², fields at 16², 32², 64²), stored so that a file of it loads as the faithful architecture.
TEST(DdmiParity, TheDdmiSmallPresetIsTheFaithfulStructureAtCpuSizes) {
  const ImageVaeConfig c = ImageVaeConfig::preset_("ddmi-small");
  const ImageVaeConfig back = ImageVaeConfig::fromJson(c.toJson());
  EXPECT_TRUE(back.ddmi());
  EXPECT_FALSE(back.clampScale);
  EXPECT_EQ(back.patch, 1);
  EXPECT_EQ(back.latentResolution(), 16);
  torch::manual_seed(0);
  ImageVae vae(back);
  torch::NoGradGuard g;
  const auto z = vae->encode(torch::rand({1, 3, 64, 64}) * 2 - 1).mean;
  EXPECT_EQ(z.sizes(), (std::vector<int64_t>{1, 4, 16, 16}));
  const ImageFields f = vae->decodeFields(z);
  ASSERT_EQ(f.levels.size(), 3u);
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(f.levels[k].sizes(), (std::vector<int64_t>{1, 16, 16 << k, 16 << k})) << "field " << k;
}

TEST(DdmiParity, GroupNormsHave32GroupsAndEps1e6) {
  const auto n = ddmiNorm(64);
  EXPECT_EQ(n->options.num_groups(), 32);
  EXPECT_DOUBLE_EQ(n->options.eps(), 1e-6);
  EXPECT_THROW(ddmiNorm(48), std::runtime_error);
}

// The authors' StyledResBlock computed from its stored parameters, noise at its expected value 0:
// three (or `layers`) modulated, demodulated 1x1 convs with leaky ReLU x sqrt(2), then (out + skip) / sqrt(2).
torch::Tensor styledBlockByHand(torch::nn::Module& readout, const std::string& block, const torch::Tensor& x,
                                const torch::Tensor& style, int layers) {
  auto p = readout.named_parameters(true);
  auto conv = [&](const std::string& name, const torch::Tensor& in) {
    const auto w = p[block + "." + name + ".conv.weight"].reshape({-1, in.size(1)});
    const auto mw = p[block + "." + name + ".conv.modulation.weight"], mb = p[block + "." + name + ".conv.modulation.bias"];
    const auto s = torch::matmul(mw / std::sqrt(double(mw.size(1))), style) + mb;
    auto wm = w / std::sqrt(double(in.size(1))) * s.unsqueeze(0);
    wm = wm * torch::rsqrt(wm.pow(2).sum(1, true) + 1e-8);
    return torch::leaky_relu(torch::matmul(in, wm.t()) + p[block + "." + name + ".activate.bias"], 0.2) * std::sqrt(2.0);
  };
  auto out = x;
  for (int k = 1; k <= layers; ++k) out = conv("conv" + std::to_string(k), out);
  const auto skipW = p.find(block + ".skip.0.weight");
  const auto skip = skipW ? torch::matmul(x, (skipW->reshape({skipW->size(0), -1}) / std::sqrt(double(x.size(1)))).t()) : x;
  return (out + skip) / std::sqrt(2.0);
}

// layers: 3 as the authors; 1 is ddmi-small's stored switch `layers_per_block` (the same block, one conv).
void checkStyledReadout(int layers) {
  SCOPED_TRACE("layers per block " + std::to_string(layers));
  torch::manual_seed(5);
  torch::NoGradGuard g;
  DdmiReadoutImpl readout(8, 32, layers);
  for (auto& p : readout.parameters()) p.normal_(0.0, 0.5);  // away from the initial ones and zeros
  auto params = readout.named_parameters(true);
  // si channels only on the field inputs: 8 field + 2 si into block 1, 32 + 8 + 2 into blocks 2-3, 32 into 4 and RGB
  EXPECT_EQ(params["net_res1.conv1.conv.weight"].size(2), 10);
  EXPECT_EQ(params["net_res2.conv1.conv.weight"].size(2), 42);
  EXPECT_EQ(params["net_res4.conv1.conv.weight"].size(2), 32);
  EXPECT_EQ(params["torgb.conv.weight"].size(2), 32);
  EXPECT_EQ(params.find("net_res4.skip.0.weight"), nullptr);  // identity skip where the width stays
  // the style network: sinusoidal embedding of width/4 -> Linear -> GELU -> Linear
  EXPECT_EQ(params["time_mlp.1.weight"].sizes(), (std::vector<int64_t>{32, 8}));
  EXPECT_EQ(params["time_mlp.3.weight"].sizes(), (std::vector<int64_t>{32, 32}));

  const double si = 0.75;
  const auto style = readout.style(si);
  const auto folded = readout.fold(si, si);
  const int64_t P = 50;
  torch::Tensor feats[3] = {torch::randn({P, 8}), torch::randn({P, 8}), torch::randn({P, 8})};
  const auto siCols = torch::full({P, 2}, si);
  auto h = styledBlockByHand(readout, "net_res1", torch::cat({feats[0], siCols}, 1), style, layers);
  h = styledBlockByHand(readout, "net_res2", torch::cat({h, feats[1], siCols}, 1), style, layers);
  h = styledBlockByHand(readout, "net_res3", torch::cat({h, feats[2], siCols}, 1), style, layers);
  h = styledBlockByHand(readout, "net_res4", h, style, layers);
  const auto rgbW = params["torgb.conv.weight"].reshape({3, 32});
  const auto s = torch::matmul(params["torgb.conv.modulation.weight"] / std::sqrt(32.0), style) +
                 params["torgb.conv.modulation.bias"];
  const auto want = torch::matmul(h, (rgbW / std::sqrt(32.0) * s.unsqueeze(0)).t()) + params["torgb.bias"].reshape({3});
  const auto got = folded.apply(feats);
  EXPECT_LT((got - want).abs().max().item<double>(), 1e-3 * (1 + want.abs().max().item<double>()));
  EXPECT_EQ(folded.layers.size(), size_t(4 * layers + 1));
  EXPECT_EQ(params.find("net_res1.conv" + std::to_string(layers + 1) + ".conv.weight"), nullptr);
}

TEST(DdmiParity, AStyledBlockOutputsOutPlusSkipOverSqrt2AndSiFeedsOnlyTheFieldLayers) { checkStyledReadout(3); }

TEST(DdmiParity, TheOneLayerSwitchKeepsTheBlockWithOneConv) { checkStyledReadout(1); }

// layers 1: a layer that opens and closes its block at once (ddmi-small's switch).
void checkViewerReadout(int layers) {
  SCOPED_TRACE("layers per block " + std::to_string(layers));
  torch::manual_seed(9);
  torch::NoGradGuard g;
  ImageVaeConfig c = tinyDdmiConfig();
  c.layersPerBlock = layers;
  ImageVae vae(c);
  for (auto& p : vae->readout->parameters()) p.normal_(0.0, 0.5);
  ImageFields fields = vae->decodeFields(torch::randn({1, 4, 4, 4}));
  // a zoomed-in region (si < 1: no clamp on this model) and the whole picture
  for (const auto& r : std::vector<std::array<double, 4>>{{0, 0, 1, 1}, {0.3, 0.2, 0.45, 0.35}}) {
    const auto direct = vae->renderRegion(fields, r[0], r[1], r[2], r[3], 40, 30);
    const auto viewer = decodeRegionFloat(vae, fields, r[0], r[1], r[2], r[3], 40, 30, 256);
    EXPECT_LT((direct - viewer).abs().max().item<double>(), 1e-4) << r[0];
  }
}

TEST(DdmiParity, TheViewersReadoutEqualsTheDirectOneOnAFaithfulModel) {
  checkViewerReadout(3);
  checkViewerReadout(1);
}

}  // namespace
}  // namespace fieldscope
