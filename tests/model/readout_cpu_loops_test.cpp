// The CPU readout's plain loops (model/image/readout_cpu_loops.h) compute what the torch ops they
// replaced compute: the same leaky ReLU, skip sum and scaling bit for bit, the same lerp of field rows
// (ends exact), and the same 8-bit pixels (rounding half to even, clamping, alpha 255), on lengths
// that are not multiples of the vector width. Each check fails on a plausible slip (a branchy
// rewrite that drops the 0.2, round-half-up, a wrong row stride, a missed tail).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <optional>
#include <vector>

#include "model/image/image_model.h"
#include "model/image/readout_cpu_loops.h"
#include "model/util/compute_options.h"

#ifdef FIELDSCOPE_READOUT_BASELINE_TEST_BUILT
// model/image/readout_cpu_loops.cpp built once more with the baseline loops alone
// (tests/model/CMakeLists.txt): the same functions, in their own namespace.
#define FIELDSCOPE_READOUT_NS readout_cpu_baseline
#include "model/image/readout_cpu_loops_decls.h"
#undef FIELDSCOPE_READOUT_NS
#endif

namespace readout_cpu_loops_test {

using namespace fieldscope::readout_cpu;

TEST(ReadoutCpuLoops, ActivationAndSkipAreTorchsBitForBit) {
  torch::manual_seed(1);
  for (int64_t n : {1, 7, 8, 13, 1029}) {
    const torch::Tensor x = torch::randn({n}), skip = torch::randn({n});
    torch::Tensor a = x.clone();
    activate(a.data_ptr<float>(), n, true, nullptr);
    EXPECT_TRUE(torch::equal(a, torch::leaky_relu(x, 0.2))) << n;
    torch::Tensor b = x.clone();
    activate(b.data_ptr<float>(), n, true, skip.data_ptr<float>());
    EXPECT_TRUE(torch::equal(b, torch::leaky_relu(x, 0.2) + skip)) << n;
    torch::Tensor c = x.clone();
    activate(c.data_ptr<float>(), n, false, skip.data_ptr<float>());
    EXPECT_TRUE(torch::equal(c, x + skip)) << n;
    torch::Tensor d = torch::empty({n});
    scaledCopy(d.data_ptr<float>(), x.data_ptr<float>(), n, 0.70710678f);
    EXPECT_TRUE(torch::equal(d, x * 0.70710678f)) << n;
  }
  // the negative side is scaled (a loop that only clamped to 0 would give 0 here)
  torch::Tensor neg = torch::full({9}, -5.0f);
  activate(neg.data_ptr<float>(), 9, true, nullptr);
  EXPECT_FLOAT_EQ(neg[8].item<float>(), -1.0f);
}

TEST(ReadoutCpuLoops, ZeroKeepsItsSignAsInTorch) {
  torch::Tensor z = torch::full({9}, -0.0f);
  activate(z.data_ptr<float>(), 9, true, nullptr);
  for (int k = 0; k < 9; ++k) EXPECT_TRUE(std::signbit(z[k].item<float>())) << k;  // vector lanes and the tail
}

TEST(ReadoutCpuLoops, LerpOfFieldRowsIsTorchsLerp) {
  torch::manual_seed(2);
  const int64_t fieldRows = 6, cols = 5, out = 3;  // rows of 15 values: two vectors and a tail
  const torch::Tensor field = torch::randn({fieldRows, cols, out});
  const std::vector<int64_t> i0 = {0, 2, 5, 1, 3}, i1 = {1, 3, 5, 2, 4};
  const std::vector<float> w = {0.0f, 1.0f, 0.25f, 0.5f, 0.8125f};
  const int64_t rows = int64_t(i0.size());
  torch::Tensor got = torch::full({rows, cols, out}, 99.0f);
  lerpRows(got.data_ptr<float>(), field.data_ptr<float>(), cols, out, i0.data(), i1.data(), w.data(), rows);
  for (int64_t r = 0; r < rows; ++r) {
    const torch::Tensor want = torch::lerp(field[i0[r]], field[i1[r]], double(w[r]));
    EXPECT_LE((got[r] - want).abs().max().item<float>(), 1e-6f * (1 + want.abs().max().item<float>())) << "row " << r;
  }
  EXPECT_TRUE(torch::equal(got[0], field[0]));  // w = 0: the first row exactly
  EXPECT_TRUE(torch::equal(got[1], field[3]));  // w = 1: the second row exactly
  EXPECT_TRUE(torch::equal(got[2], field[5]));  // both rows the same
}

TEST(ReadoutCpuLoops, LerpOfFieldColumnsIsTorchsLerpForEveryRow) {
  torch::manual_seed(3);
  const int64_t fieldRows = 3, fieldCols = 6, out = 11;  // columns of 11 values: a vector and a tail
  const torch::Tensor field = torch::randn({fieldRows, fieldCols, out});
  const std::vector<int64_t> i0 = {0, 2, 5, 1, 3, 4}, i1 = {1, 3, 5, 2, 4, 5};
  const std::vector<float> w = {0.0f, 1.0f, 0.25f, 0.5f, 0.8125f, 0.375f};
  const int64_t cols = int64_t(i0.size());
  torch::Tensor got = torch::full({fieldRows, cols, out}, 99.0f);
  lerpColumns(got.data_ptr<float>(), field.data_ptr<float>(), fieldRows, fieldCols, out, i0.data(), i1.data(),
              w.data(), cols);
  for (int64_t r = 0; r < fieldRows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const torch::Tensor want = torch::lerp(field[r][i0[c]], field[r][i1[c]], double(w[c]));
      EXPECT_LE((got[r][c] - want).abs().max().item<float>(), 1e-6f * (1 + want.abs().max().item<float>()))
          << "row " << r << " column " << c;
    }
  for (int64_t r = 0; r < fieldRows; ++r) {
    EXPECT_TRUE(torch::equal(got[r][0], field[r][0]));  // w = 0: the first column exactly
    EXPECT_TRUE(torch::equal(got[r][1], field[r][3]));  // w = 1: the second column exactly
    EXPECT_TRUE(torch::equal(got[r][2], field[r][5]));  // both columns the same
  }
}

// A colour v whose scaled value (v + 1) * 127.5, in float, is exactly m + 0.5 (searched near the
// real solution; not every m has one).
std::optional<float> colourOnAHalf(int m) {
  float v = float(2 * m + 1) / 255.0f - 1.0f;
  for (int i = 0; i < 64; ++i) v = std::nextafter(v, -2.0f);
  for (int i = 0; i < 128; ++i, v = std::nextafter(v, 2.0f))
    if ((v + 1.0f) * 127.5f == float(m) + 0.5f) return v;
  return std::nullopt;
}

TEST(ReadoutCpuLoops, PixelsRoundHalfToEvenClampAndAreOpaque) {
  // Halves round to even (as torch's round): m + 0.5 -> m for even m, m + 1 for odd m.
  std::vector<float> rgb;
  std::vector<int> expected;
  for (int m = 0; m < 255 && rgb.size() < 6; ++m)
    if (const auto v = colourOnAHalf(m)) {
      rgb.push_back(*v);
      expected.push_back(m % 2 == 0 ? m : m + 1);
    }
  ASSERT_EQ(rgb.size(), 6u) << "too few colours land on a half";
  rgb.push_back(-1.5f), expected.push_back(0);    // clamps
  rgb.push_back(1.5f), expected.push_back(255);
  rgb.push_back(0.0f), expected.push_back(128);   // 127.5: a half, to even
  const torch::Tensor v = torch::tensor(rgb);
  const torch::Tensor want = (v + 1.0).mul(127.5).clamp(0, 255).round().to(torch::kUInt8);
  // 1 row of 3 pixels into an image row of 5 pixels (stride 20 bytes), starting at pixel 1
  std::vector<uint8_t> image(2 * 20, 7);
  toRgba8(image.data() + 4, 20, v.data_ptr<float>(), 1, 3);
  for (int p = 0; p < 3; ++p) {
    for (int k = 0; k < 3; ++k) {
      EXPECT_EQ(int(image[4 + 4 * p + k]), expected[3 * p + k]) << "pixel " << p << " channel " << k;
      EXPECT_EQ(image[4 + 4 * p + k], want[3 * p + k].item<uint8_t>()) << "pixel " << p << " channel " << k;
    }
    EXPECT_EQ(image[4 + 4 * p + 3], 255);
  }
  EXPECT_EQ(image[0], 7);   // pixel 0 of the row is not touched
  EXPECT_EQ(image[16], 7);  // nor pixel 4
  EXPECT_EQ(image[20], 7);  // nor the next row

  // many rows at a row pitch, against torch on random colours
  torch::manual_seed(3);
  const int64_t rows = 4, cols = 11, pitch = 13 * 4;
  const torch::Tensor many = torch::rand({rows, cols, 3}) * 2.4 - 1.2;
  std::vector<uint8_t> img(rows * pitch, 0);
  toRgba8(img.data(), pitch, many.data_ptr<float>(), rows, cols);
  const torch::Tensor ref = (many + 1.0).mul(127.5).clamp(0, 255).round().to(torch::kUInt8);
  const torch::Tensor got = torch::from_blob(img.data(), {rows, pitch / 4, 4}, torch::kUInt8).narrow(1, 0, cols);
  EXPECT_TRUE(torch::equal(got.narrow(2, 0, 3), ref));
  EXPECT_TRUE((got.select(2, 3) == 255).all().item<bool>());
}

// A view wider than one column block (2048 pixels, region_decoder.cpp): the pixels written straight
// into a contiguous image (the plain loop, at each block's column offset) equal those copied by torch
// into a strided view of a wider image.
TEST(ReadoutCpuLoops, AWideViewIsTheSameIntoAnImageAsIntoAStridedView) {
  torch::set_num_threads(2);
  auto m = fieldscope::ImageModel::untrained("tiny", fieldscope::ComputeOptions{}, 5);
  const auto fields = m->makeFields(m->sampleLatent(2, 3));
  const int W = 2100, H = 5;
  torch::Tensor image = torch::zeros({H, W, 4}, torch::kUInt8);
  m->decodeRegion(fields, 0.1, 0.2, 0.9, 0.3, W, H, image);
  torch::Tensor wider = torch::zeros({H, W + 16, 4}, torch::kUInt8);
  torch::Tensor view = wider.narrow(1, 0, W);
  ASSERT_FALSE(view.is_contiguous());
  m->decodeRegion(fields, 0.1, 0.2, 0.9, 0.3, W, H, view);
  EXPECT_TRUE(torch::equal(image, view));
  EXPECT_TRUE((image.select(2, 3) == 255).all().item<bool>());
  // the second column block is a picture, not a copy of the first block's start
  EXPECT_FALSE(torch::equal(image.narrow(1, 2048, 52), image.narrow(1, 0, 52)));
}

// A CPU without AVX2 runs the loops' baseline clone; here the loader picks the AVX2 one. Both are
// built without fused multiply-adds from the same source, so they must agree bit for bit.
TEST(ReadoutCpuLoops, TheBaselineLoopsGiveTheSameBitsAsThePickedClone) {
#ifndef FIELDSCOPE_READOUT_BASELINE_TEST_BUILT
  GTEST_SKIP() << "the baseline build of the loops is made on x86-64 only";
#else
  namespace base = fieldscope::readout_cpu_baseline;
  torch::manual_seed(4);
  const int64_t fieldRows = 5, fieldCols = 9, out = 19, cols = 37, rows = 6;  // vectors and tails
  const torch::Tensor field = torch::randn({fieldRows, fieldCols, out});
  const torch::Tensor xw = torch::rand({cols}), yw = torch::rand({rows});
  std::vector<int64_t> x0(cols), x1(cols), y0(rows), y1(rows);
  for (int64_t c = 0; c < cols; ++c) x0[c] = c * (fieldCols - 1) / cols, x1[c] = std::min(fieldCols - 1, x0[c] + 1);
  for (int64_t r = 0; r < rows; ++r) y0[r] = r * (fieldRows - 1) / rows, y1[r] = std::min(fieldRows - 1, y0[r] + 1);
  torch::Tensor a = torch::empty({fieldRows, cols, out}), b = torch::empty({fieldRows, cols, out});
  lerpColumns(a.data_ptr<float>(), field.data_ptr<float>(), fieldRows, fieldCols, out, x0.data(), x1.data(),
              xw.data_ptr<float>(), cols);
  base::lerpColumns(b.data_ptr<float>(), field.data_ptr<float>(), fieldRows, fieldCols, out, x0.data(), x1.data(),
                    xw.data_ptr<float>(), cols);
  EXPECT_TRUE(torch::equal(a, b)) << "lerpColumns";
  torch::Tensor c = torch::empty({rows, cols, out}), d = torch::empty({rows, cols, out});
  lerpRows(c.data_ptr<float>(), a.data_ptr<float>(), cols, out, y0.data(), y1.data(), yw.data_ptr<float>(), rows);
  base::lerpRows(d.data_ptr<float>(), a.data_ptr<float>(), cols, out, y0.data(), y1.data(), yw.data_ptr<float>(), rows);
  EXPECT_TRUE(torch::equal(c, d)) << "lerpRows";
  const torch::Tensor x = torch::randn({1029}), skip = torch::randn({1029});
  for (bool act : {false, true})
    for (const float* s : {static_cast<const float*>(nullptr), static_cast<const float*>(skip.data_ptr<float>())}) {
      torch::Tensor e = x.clone(), f = x.clone();
      activate(e.data_ptr<float>(), e.numel(), act, s);
      base::activate(f.data_ptr<float>(), f.numel(), act, s);
      EXPECT_TRUE(torch::equal(e, f)) << "activate " << act << " " << (s != nullptr);
    }
  torch::Tensor g = torch::empty({1029}), h = torch::empty({1029});
  scaledCopy(g.data_ptr<float>(), x.data_ptr<float>(), 1029, 0.70710678f);
  base::scaledCopy(h.data_ptr<float>(), x.data_ptr<float>(), 1029, 0.70710678f);
  EXPECT_TRUE(torch::equal(g, h)) << "scaledCopy";
  const torch::Tensor rgb = torch::rand({rows, cols, 3}) * 2.4 - 1.2;  // beyond [-1, 1]: the clamp too
  torch::Tensor p = torch::zeros({rows, cols + 3, 4}, torch::kUInt8), q = torch::zeros({rows, cols + 3, 4}, torch::kUInt8);
  toRgba8(p.data_ptr<uint8_t>(), (cols + 3) * 4, rgb.data_ptr<float>(), rows, cols);
  base::toRgba8(q.data_ptr<uint8_t>(), (cols + 3) * 4, rgb.data_ptr<float>(), rows, cols);
  EXPECT_TRUE(torch::equal(p, q)) << "toRgba8";
#endif
}

}  // namespace readout_cpu_loops_test
