// The super-resolved picture as a field (model/sr/sr_field.h), what the SR view draws: a region
// read at the chosen size equals that part of the `upscale` output, across block edges and after
// blocks were evicted; zoomed further in it keeps decoding (finer, consistent with the chosen
// size); far out it is the picture's own bicubic sampling.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/sr/cubic_resample.h"
#include "model/sr/sr_field.h"
#include "model/sr/tiled_upscale.h"

namespace fieldscope {
namespace {

struct FieldCase {
  SrAutoencoder ae{SrAeConfig::preset_("tiny")};
  torch::Tensor lr;
  int64_t outW = 430, outH = 250;  // more than one 384-pixel block across, not multiples of 4
  torch::Tensor whole;
  FieldCase() {
    torch::manual_seed(11);
    ae = SrAutoencoder(SrAeConfig::preset_("tiny"));
    ae->eval();
    lr = torch::rand({1, 3, 67, 116}) * 2 - 1;
    whole = upscaleDecoderOnlyWhole(ae, lr, outW, outH);
  }
};

double worstOnUnit(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>() * 0.5; }

TEST(SrField, ARegionAtTheChosenSizeIsThatPartOfTheUpscale) {
  FieldCase c;
  SrField field(c.ae, c.lr, c.outW, c.outH);
  // Pixels [350, 420) x [40, 200): across the first block edge (x = 384).
  const auto part = field.render(350, 40, 420, 200, 70, 160);
  EXPECT_LT(worstOnUnit(part, c.whole.narrow(3, 350, 70).narrow(2, 40, 160)), 1e-5);
  // The whole picture, and a region touching the bottom-right corner.
  EXPECT_LT(worstOnUnit(field.render(0, 0, double(c.outW), double(c.outH), c.outW, c.outH), c.whole), 1e-5);
  EXPECT_LT(worstOnUnit(field.render(400, 230, 430, 250, 30, 20), c.whole.narrow(3, 400, 30).narrow(2, 230, 20)), 1e-5);
  EXPECT_EQ(field.blocksComputed(), 2);
}

TEST(SrField, EvictedBlocksComeBackTheSame) {
  FieldCase c;
  SrField field(c.ae, c.lr, c.outW, c.outH, /*budgetBytes=*/1);  // holds one block at a time
  const auto first = field.render(300, 0, 430, 250, 130, 250);
  const auto again = field.render(300, 0, 430, 250, 130, 250);
  EXPECT_GT(field.blocksComputed(), 2) << "the budget must have evicted blocks";
  EXPECT_LT(worstOnUnit(first, again), 1e-6);
  EXPECT_LT(worstOnUnit(first, c.whole.narrow(3, 300, 130)), 1e-5);
}

TEST(SrField, ZoomingPastTheChosenSizeKeepsDecoding) {
  FieldCase c;
  SrField field(c.ae, c.lr, c.outW, c.outH);
  // 8x the chosen resolution over 16 x 16 output pixels.
  const auto fine = field.render(100, 100, 116, 116, 128, 128);
  ASSERT_TRUE(torch::isfinite(fine).all().item<bool>());
  // Not enlarged pixels: neighbouring fine pixels inside one output pixel differ.
  const auto within = fine.narrow(2, 0, 8).narrow(3, 0, 8);
  EXPECT_GT((within - within.mean({2, 3}, true)).abs().max().item<double>(), 1e-4);
  // Consistent with the chosen size: pooled back it stays close to the upscale's pixels.
  const auto pooled = torch::avg_pool2d(fine, 8);
  const auto ref = c.whole.narrow(3, 100, 16).narrow(2, 100, 16);
  EXPECT_LT((pooled - ref).abs().mean().item<double>() * 0.5, 0.05);
}

TEST(SrField, FarOutItIsThePicturesBicubicSampling) {
  FieldCase c;
  SrField field(c.ae, c.lr, c.outW, c.outH);
  const auto far = field.render(0, 0, double(c.outW), double(c.outH), 43, 25);  // 10 output pixels a view pixel
  EXPECT_EQ(field.blocksComputed(), 0) << "no block is decoded for detail the view cannot show";
  const auto ref = cubicSampleRegion(c.lr, 0, 0, 116, 67, 43, 25);
  EXPECT_LT(worstOnUnit(far, ref), 1e-6);
  // The bicubic sampler on the chosen grid is the bicubic resize.
  EXPECT_LT(worstOnUnit(field.bicubic(0, 0, double(c.outW), double(c.outH), c.outW, c.outH), cubicResize(c.lr, c.outH, c.outW)),
            1e-5);
  // Nearest: every output pixel is one input pixel.
  const auto near = field.nearest(0, 0, double(c.outW), double(c.outH), c.outW, c.outH);
  EXPECT_LT(worstOnUnit(near.narrow(3, 0, 3).narrow(2, 0, 3), c.lr.narrow(3, 0, 1).narrow(2, 0, 1).expand({1, 3, 3, 3})), 1e-7);
}

}  // namespace
}  // namespace fieldscope
