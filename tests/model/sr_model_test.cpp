// The super-resolution model's parts (docs/architecture.md "The super-resolution domain"): the
// LIIF local ensemble against a per-point reference, the one bicubic resampler (a region equals
// that part of the whole), tiled decoding equal to whole-image decoding, the metrics, the config
// and checkpoint round trip.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "model/checkpoint/checkpoint.h"
#include "model/sr/cubic_resample.h"
#include "model/sr/image_quality.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_autoencoder.h"
#include "model/sr/sr_degrade.h"
#include "model/sr/sr_eval.h"
#include "model/sr/tiled_upscale.h"
#include "test_support.h"

namespace fieldscope {
namespace {

// The LIIF prediction at one point, written out the long way: for each of the four cells around
// the point, the MLP on [that cell's feature vector, offset from its centre, cell size], weighted
// by the area of the sub-rectangle diagonally opposite.
torch::Tensor liifReference(LiifHead& head, const torch::Tensor& feat, double x, double y, double cellW, double cellH) {
  const int64_t h = feat.size(1), w = feat.size(2);
  std::vector<torch::Tensor> preds;
  std::vector<double> areas;
  for (int vx : {-1, 1})
    for (int vy : {-1, 1}) {
      const double sx = std::clamp(x + vx / double(w) + 1e-6, -1 + 1e-6, 1 - 1e-6);
      const double sy = std::clamp(y + vy / double(h) + 1e-6, -1 + 1e-6, 1 - 1e-6);
      const int64_t ix = std::clamp<int64_t>(int64_t(std::floor((sx + 1) / 2 * w)), 0, w - 1);
      const int64_t iy = std::clamp<int64_t>(int64_t(std::floor((sy + 1) / 2 * h)), 0, h - 1);
      const double cx = -1 + (2.0 * ix + 1) / w, cy = -1 + (2.0 * iy + 1) / h;
      const double rx = (x - cx) * w, ry = (y - cy) * h;
      const auto input = torch::cat({feat.select(1, iy).select(1, ix),
                                     torch::tensor({float(rx), float(ry), float(cellW * w), float(cellH * h)})});
      preds.push_back(head->mlp(input.view({1, 1, -1})).view({3}));
      areas.push_back(std::abs(rx * ry) + 1e-9);
    }
  std::swap(areas[0], areas[3]);
  std::swap(areas[1], areas[2]);
  const double total = areas[0] + areas[1] + areas[2] + areas[3];
  torch::Tensor out = torch::zeros({3});
  for (int i = 0; i < 4; ++i) out += preds[size_t(i)] * float(areas[size_t(i)] / total);
  return out;
}

TEST(SrModel, LiifLocalEnsembleEqualsThePerPointReference) {
  torch::manual_seed(3);
  LiifHead head(5, 16, 2);
  const auto feat = torch::randn({1, 5, 3, 4});
  auto coords = torch::rand({1, 40, 2}) * 2 - 1;
  coords[0][0] = torch::tensor({-1.0f, -1.0f});  // the corners and edges clamp
  coords[0][1] = torch::tensor({0.999f, 0.5f});
  coords[0][2] = torch::tensor({0.0f, 0.0f});     // a cell border
  const double cellW = 2.0 / 13, cellH = 2.0 / 7;
  torch::NoGradGuard g;
  const auto fast = head->forward(feat, coords, cellW, cellH);
  for (int64_t p = 0; p < coords.size(1); ++p) {
    const auto ref = liifReference(head, feat[0], coords[0][p][0].item<double>(), coords[0][p][1].item<double>(), cellW, cellH);
    EXPECT_TRUE(torch::allclose(fast[0][p], ref, 1e-5, 1e-5)) << "point " << p << ": " << fast[0][p] << " vs " << ref;
  }
}

TEST(SrModel, CubicResizeRegionEqualsThatPartOfTheWhole) {
  torch::manual_seed(4);
  const auto img = torch::rand({2, 3, 13, 17});
  for (auto [h, w] : {std::pair<int64_t, int64_t>{48, 61}, {5, 7}, {13, 17}}) {
    const auto whole = cubicResize(img, h, w);
    const auto part = cubicResizeRegion(img, h, w, h / 3, w / 4, h - h / 3, w / 2);
    EXPECT_TRUE(torch::allclose(part, whole.narrow(2, h / 3, h - h / 3).narrow(3, w / 4, w / 2), 1e-6, 1e-6));
  }
  // The same size is the identity; a constant stays constant at any scale.
  EXPECT_TRUE(torch::allclose(cubicResize(img, 13, 17), img, 1e-6, 1e-6));
  const auto flat = torch::full({1, 3, 9, 9}, 0.25);
  EXPECT_TRUE(torch::allclose(cubicResize(flat, 31, 4), torch::full({1, 3, 31, 4}, 0.25), 1e-6, 1e-6));
  // Shrinking is antialiased: a one-pixel checkerboard averages out instead of aliasing.
  const auto board = ((torch::arange(32).view({1, 32}) + torch::arange(32).view({32, 1})).remainder(2)).to(torch::kFloat32);
  const auto shrunk = cubicResize(board.expand({1, 1, 32, 32}).contiguous(), 8, 8);
  EXPECT_LT((shrunk - 0.5).abs().max().item<double>(), 0.02);
}

TEST(SrModel, TiledDecodingEqualsWholeImageDecoding) {
  torch::manual_seed(5);
  SrAutoencoder ae(SrAeConfig::preset_("tiny"));
  ae->eval();
  const auto lr = torch::rand({1, 3, 23, 29}) * 2 - 1;
  const int64_t outW = 97, outH = 75;  // x3.3-ish, not multiples of 4
  const auto whole = upscaleDecoderOnlyWhole(ae, lr, outW, outH);
  TileSpec spec{32, receptiveMargin(ae->config())};
  torch::Tensor tiled = torch::zeros({1, 3, outH, outW});
  int bands = 0;
  ASSERT_TRUE(upscaleDecoderOnly(ae, lr, outW, outH, spec, [&](const torch::Tensor& band, int64_t y0) {
    tiled.narrow(2, y0, band.size(2)).copy_(band);
    ++bands;
  }));
  EXPECT_EQ(bands, 3);
  const double worst = (tiled - whole).abs().max().item<double>() * 0.5;  // on [0, 1]
  EXPECT_LT(worst, 1e-5) << "tiles must not show seams";
  // Too small a margin does show: the margin is what makes them equal.
  torch::Tensor narrow = torch::zeros({1, 3, outH, outW});
  upscaleDecoderOnly(ae, lr, outW, outH, {32, 4}, [&](const torch::Tensor& band, int64_t y0) {
    narrow.narrow(2, y0, band.size(2)).copy_(band);
  });
  EXPECT_GT((narrow - whole).abs().max().item<double>(), 1e-3);
}

TEST(SrModel, QualityNumbers) {
  torch::manual_seed(6);
  const auto a = torch::rand({2, 3, 32, 32}) * 2 - 1;
  EXPECT_GT(psnrPerImage(a, a)[0].item<double>(), 100);
  EXPECT_NEAR(ssimPerImage(a, a)[0].item<double>(), 1.0, 1e-6);
  // Uniform error of 0.1 on [0, 1]: 20 dB.
  EXPECT_NEAR(psnrPerImage(torch::zeros({1, 3, 8, 8}), torch::full({1, 3, 8, 8}, 0.2))[0].item<double>(), 20.0, 1e-4);
  const auto noisy = (a + 0.3 * torch::randn_like(a)).clamp(-1, 1);
  EXPECT_LT(ssimPerImage(noisy, a)[0].item<double>(), 0.9);
  // Degraded inputs are 8-bit: 256 levels.
  const auto q = (quantize8(a) + 1) * 127.5;
  EXPECT_LT((q - q.round()).abs().max().item<double>(), 1e-3);
  EXPECT_EQ(lowResSide(128, 3.7), 35);
  // A subset of crops spreads over the set (ordered by scene), first and last included.
  const auto ids = torch::arange(9).view({9, 1, 1, 1});
  const auto three = spreadCrops(ids, 3).flatten();
  ASSERT_EQ(three.size(0), 3);
  EXPECT_EQ(three[0].item<int64_t>(), 0);
  EXPECT_EQ(three[1].item<int64_t>(), 4);
  EXPECT_EQ(three[2].item<int64_t>(), 8);
  EXPECT_EQ(spreadCrops(ids, 20).size(0), 9);
}

TEST(SrModel, CheckpointRoundTripAndWrongDomain) {
  test::TempDir dir("sr-ckpt");
  torch::manual_seed(7);
  SrAutoencoder ae(SrAeConfig::preset_("tiny"));
  Checkpoint c;
  c.config = {{"domain", "sr"}, {"kind", "ae"}};
  storeSrAutoencoder(c, ae);
  saveCheckpoint(dir.path / "a.fsm", c);
  const Checkpoint back = loadCheckpoint(dir.path / "a.fsm", "sr");
  SrAutoencoder ae2 = restoreSrAutoencoder(back);
  EXPECT_EQ(ae2->config().toJson(), ae->config().toJson());
  const auto lr = torch::rand({1, 3, 8, 8});
  torch::NoGradGuard g;
  ae->eval();
  EXPECT_TRUE(torch::equal(upscaleDecoderOnlyWhole(ae, lr, 20, 20), upscaleDecoderOnlyWhole(ae2, lr, 20, 20)));
  try {
    loadCheckpoint(dir.path / "a.fsm", "image");
    ADD_FAILURE() << "an SR model opened as an image model";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("sr"), std::string::npos) << e.what();
  }
  nlohmann::json bad = ae->config().toJson();
  bad["channels"] = std::vector<int>{8};
  EXPECT_THROW(SrAeConfig::fromJson(bad), std::runtime_error);
  EXPECT_THROW(SrAeConfig::preset_("huge"), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
