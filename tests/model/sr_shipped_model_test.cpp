// The shipped super-resolution model (assets/models/photo-sr.fsm) at two scales of one picture: its
// x4 output average-pooled to x2 size is its x2 output (issue 11's scale consistency, >= 30 dB). A
// decoder whose scales disagree -- detail invented differently at each scale, or a colour shift with
// the cell size -- fails it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include "model/checkpoint/checkpoint.h"
#include "model/sr/image_quality.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/tiled_upscale.h"

namespace fieldscope {
namespace sr_shipped_model_test {

// 48 x 40 in [-1, 1]: a soft gradient, a dark disc and thin stripes (edges for the decoder).
torch::Tensor testPicture() {
  const int64_t w = 48, h = 40;
  auto x = torch::arange(w).to(torch::kFloat32).view({1, w}).expand({h, w});
  auto y = torch::arange(h).to(torch::kFloat32).view({h, 1}).expand({h, w});
  const auto disc = ((x - 30).pow(2) + (y - 20).pow(2) < 100).to(torch::kFloat32);
  const auto stripes = ((x < 18) * (torch::floor(x / 3).remainder(2) == 0)).to(torch::kFloat32);
  const auto r = (0.45 + x / 200) * (1 - disc) + 0.12 * disc;
  const auto g = (0.35 + y / 120) * (1 - stripes) + 0.9 * stripes;
  const auto b = 0.25 * (1 - disc) + 0.8 * disc;
  return (torch::stack({r, g, b}).unsqueeze(0) * 255).round() / 255 * 2 - 1;  // 8-bit levels
}

TEST(SrShippedModel, FourTimesPooledToTwiceIsTwice) {
  const std::filesystem::path file = FIELDSCOPE_SOURCE_DIR "/assets/models/photo-sr.fsm";
  ASSERT_TRUE(std::filesystem::exists(file)) << "the shipped SR model is missing: " << file;
  SrAutoencoder ae = restoreSrAutoencoder(loadCheckpoint(file, "sr"));
  ae->eval();
  torch::NoGradGuard noGrad;
  const torch::Tensor lr = testPicture();
  const int64_t w = lr.size(3), h = lr.size(2);
  const torch::Tensor x4 = upscaleDecoderOnlyWhole(ae, lr, 4 * w, 4 * h).clamp(-1, 1);  // [-1, 1], as psnrPerImage takes
  const torch::Tensor x2 = upscaleDecoderOnlyWhole(ae, lr, 2 * w, 2 * h).clamp(-1, 1);
  const double db = psnrPerImage(torch::avg_pool2d(x4, 2), x2).mean().item<double>();
  RecordProperty("x4_pooled_vs_x2_db", std::to_string(db));
  EXPECT_GE(db, 30.0) << "x4 pooled to x2 vs x2";
  // The check has teeth: the x2 output against the same picture shifted by one x2 pixel scores lower.
  const double shifted = psnrPerImage(torch::avg_pool2d(x4, 2).narrow(3, 1, 2 * w - 1), x2.narrow(3, 0, 2 * w - 1)).mean().item<double>();
  RecordProperty("shifted_db", std::to_string(shifted));
  EXPECT_LT(shifted, db - 3) << "pooled " << db << " dB, shifted by a pixel " << shifted << " dB";
}

}  // namespace sr_shipped_model_test
}  // namespace fieldscope
