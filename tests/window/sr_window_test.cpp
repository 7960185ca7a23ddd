// The super-resolution view through the real app under Xvfb + lavapipe with validation, on the
// shipped photo-sr.fsm, driven by --script steps: a picture opened as the document at x3.7 with
// the compare divider -- left of it the super-resolved field, right of it the bicubic upsampling,
// each equal to the field decoded directly over those viewport pixels; then x50 past the chosen
// scale (a new scale x3.71 set with the divider off): still decoded by the implicit decoder (not
// enlarged output pixels), no divider left; then the whole picture exported at the chosen scale
// equals the `upscale` output. The window captures are the
// docs' screenshots when FIELDSCOPE_SR_SCREENSHOTS names a folder.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "model/checkpoint/checkpoint.h"
#include "model/io/png_file.h"
#include "model/photo_data/photo_pixels.h"
#include "model/sr/photo_tensors.h"
#include "model/sr/sr_ae_io.h"
#include "model/sr/sr_diffusion.h"
#include "model/sr/sr_field.h"
#include "model/sr/tiled_upscale.h"
#include "steps_run.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;
using nlohmann::json;

fs::path srModel() { return FIELDSCOPE_SOURCE_DIR "/assets/models/photo-sr.fsm"; }
fs::path srLdmModel() { return FIELDSCOPE_SOURCE_DIR "/assets/models/photo-sr-ldm.fsm"; }

// 80 x 60: a soft gradient, a dark disc and thin stripes -- edges for the decoder to sharpen.
void writeTestPicture(const fs::path& path) {
  Rgba8Image im;
  im.width = 80;
  im.height = 60;
  im.pixels.resize(size_t(im.width) * im.height * 4);
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) {
      uint8_t* p = &im.pixels[(size_t(y) * im.width + x) * 4];
      const bool disc = (x - 50) * (x - 50) + (y - 30) * (y - 30) < 15 * 15;
      const bool stripe = x < 30 && (x / 3) % 2 == 0;
      p[0] = uint8_t(disc ? 30 : 120 + x);
      p[1] = uint8_t(stripe ? 230 : 90 + y * 2);
      p[2] = uint8_t(disc ? 200 : 60);
      p[3] = 255;
    }
  writePng(path, im);
}

torch::Tensor rgbOf(const Rgba8Image& im) {
  return torch::from_blob(const_cast<uint8_t*>(im.pixels.data()), {im.height, im.width, 4}, torch::kUInt8)
             .narrow(2, 0, 3)
             .permute({2, 0, 1})
             .to(torch::kFloat32) /
         255.0;
}

double psnrUnit(const torch::Tensor& a, const torch::Tensor& b) {
  const double mse = (a - b).pow(2).mean().item<double>();
  return mse > 1e-12 ? -10.0 * std::log10(mse) : 120.0;
}

// Viewport pixels [c0, c1) x [r0, r1) of a capture with view state `view` in output pixels of a
// picture outW x outH placed in the field's square (longer side across, centred).
struct PixelMap {
  double cx, cy, upp, outMax, rectX0, rectY0;
  int W, H;
  PixelMap(const json& capture, int64_t outW, int64_t outH) {
    const json& vp = capture.at("viewport");
    W = vp.at(2).get<int>();
    H = vp.at(3).get<int>();
    const json& v = capture.at("state").at("view");
    cx = v.at("cx").get<double>();
    cy = v.at("cy").get<double>();
    upp = 1.0 / std::min(W, H) / v.at("zoom").get<double>();
    outMax = double(std::max(outW, outH));
    rectX0 = 0.5 - 0.5 * double(outW) / outMax;
    rectY0 = 0.5 - 0.5 * double(outH) / outMax;
  }
  double ox(int col) const { return (cx + (col - 0.5 * W) * upp - rectX0) * outMax; }
  double oy(int row) const { return (cy + (row - 0.5 * H) * upp - rectY0) * outMax; }
};

torch::Tensor directly(SrField& f, const PixelMap& m, int c0, int r0, int c1, int r1, bool bicubic) {
  const double x0 = m.ox(c0), y0 = m.oy(r0), x1 = m.ox(c1), y1 = m.oy(r1);
  const auto v = bicubic ? f.bicubic(x0, y0, x1, y1, c1 - c0, r1 - r0) : f.render(x0, y0, x1, y1, c1 - c0, r1 - r0);
  return ((v[0].clamp(-1, 1) + 1) * 127.5).round() / 255.0;
}

TEST(SrWindow, CompareDividerZoomPastTheScaleAndExport) {
  ASSERT_TRUE(fs::exists(srModel())) << "the shipped SR model is missing: " << srModel();
  const fs::path dir = tempDir("sr");
  const char* shots = std::getenv("FIELDSCOPE_SR_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  const fs::path picture = dir / "picture.png", exported = dir / "upscaled.png";
  writeTestPicture(picture);
  auto cap = [&](const std::string& name) { return json{{"capture", (out / name).string()}, {"region", "window"}}; };
  auto vcap = [&](const std::string& name) { return json{{"capture", (dir / name).string()}, {"region", "viewport"}}; };
  const json until = {{"until", "converged"}, {"max_frames", 4000}};
  const json steps = json::array({
      {{"state", {{"scale", 3.7}, {"compare", 1}, {"divider", 0.5}}}}, until, vcap("compare.png"), cap("sr_compare_x3.7.png"),
      // A new scale with the divider turned off in the same step (the divider must go).
      {{"state", {{"scale", 3.71}, {"compare", 0}, {"view", {{"cx", 0.8125}, {"cy", 0.5}, {"zoom", 22.0}}}}}}, until, vcap("zoom.png"),
      cap("sr_zoom_x50.png"),
      {{"export", {{"kind", "sr-png"}, {"path", exported.string()}, {"width", 0}}}},
  });
  const StepsRun r = runSteps(picture, dir, steps);
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_EQ(r.log.at("captures").size(), 4u) << r.output;

  const Checkpoint ckpt = loadCheckpoint(srModel(), "sr");
  SrAutoencoder ae = restoreSrAutoencoder(ckpt);
  ae->eval();
  const torch::Tensor lr = photoPlanes(readPhotoPixels(picture)).rgb;
  const int64_t outW = 296, outH = 222;  // round(80 * 3.7) x round(60 * 3.7)
  SrField field(ae, lr, outW, outH);

  // The divider at x3.7: each side is its own field, decoded over exactly those pixels.
  {
    const PixelMap m(r.log.at("captures")[0], outW, outH);
    const auto shown = rgbOf(readImageRgba8(dir / "compare.png"));
    const int d = m.W / 2, r0 = int(m.H * 0.2), r1 = int(m.H * 0.8);
    const int left0 = int(0.5 * m.W - 0.5 * std::min(m.W, m.H)) + 8;  // the picture's left edge
    const int right1 = std::min(int(0.5 * m.W + 0.5 * std::min(m.W, m.H)) - 8, m.W - 330);  // left of the panel
    const auto superSide = shown.narrow(1, r0, r1 - r0).narrow(2, left0, d - 14 - left0);
    const auto bicubicSide = shown.narrow(1, r0, r1 - r0).narrow(2, d + 14, right1 - d - 14);
    EXPECT_GE(psnrUnit(superSide, directly(field, m, left0, r0, d - 14, r1, false)), 40.0) << "left of the divider is not the SR field";
    EXPECT_GE(psnrUnit(bicubicSide, directly(field, m, d + 14, r0, right1, r1, true)), 40.0) << "right of the divider is not bicubic";
  }
  // x50 past the chosen scale (x3.71: 297 x 223): the implicit decoder at the view's own grid over
  // the whole width (no divider left), not enlarged pixels.
  {
    SrField field(ae, lr, 297, 223);
    const PixelMap m(r.log.at("captures")[2], 297, 223);
    const double viewPerOutput = 1.0 / (m.upp * m.outMax);
    EXPECT_GT(viewPerOutput, 45.0);
    const auto shown = rgbOf(readImageRgba8(dir / "zoom.png"));
    const int c0 = 20, c1 = m.W - 340, r0 = 40, r1 = m.H - 20;
    const auto view = shown.narrow(1, r0, r1 - r0).narrow(2, c0, c1 - c0);
    EXPECT_GE(psnrUnit(view, directly(field, m, c0, r0, c1, r1, false)), 40.0) << "the zoomed view is not the decoded field";
    // Enlarged pixels would be constant over each output pixel (~50 x 50 view pixels).
    const auto blocks = torch::avg_pool2d(view.unsqueeze(0), 25);
    const auto flat = torch::nn::functional::interpolate(
        blocks, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{view.size(1) / 25 * 25, view.size(2) / 25 * 25}).mode(torch::kNearest));
    const auto cropped = view.unsqueeze(0).narrow(2, 0, flat.size(2)).narrow(3, 0, flat.size(3));
    EXPECT_GT((cropped - flat).abs().mean().item<double>(), 2e-3) << "the zoomed view is blocky";
  }
  // The whole picture at the chosen x3.71: the `upscale` output.
  ASSERT_TRUE(fs::exists(exported)) << r.output;
  const auto png = rgbOf(readImageRgba8(exported));
  ASSERT_EQ(png.size(2), 297);
  ASSERT_EQ(png.size(1), 223);
  const auto whole = ((upscaleDecoderOnlyWhole(ae, lr, 297, 223)[0].clamp(-1, 1) + 1) * 127.5).round() / 255.0;
  EXPECT_LE((png - whole).abs().max().item<double>(), 1.0 / 255 + 1e-6);
}

// The diffusion stage in the view: two samples of the picture (seeds 0 and 1) restored from the
// session, compared as "sample A | sample B" across the divider -- each side equal to its sample
// decoded directly -- then laid side by side in the sample strip.
TEST(SrWindow, DiffusionSamplesCompareAcrossTheDividerAndFormTheStrip) {
  const Checkpoint ckpt = loadCheckpoint(srLdmModel(), "sr");
  ASSERT_TRUE(hasSrDiffusion(ckpt)) << srLdmModel();
  const fs::path dir = tempDir("sr-diffusion");
  const char* shots = std::getenv("FIELDSCOPE_SR_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  const fs::path picture = dir / "picture.png";
  writeTestPicture(picture);
  const json until = {{"until", "converged"}, {"max_frames", 6000}};
  const json steps = json::array({
      {{"state", {{"scale", 2.0}, {"steps", 10}, {"seed", 0}, {"samples", {0, 1}}, {"compare", 3}, {"compare_seed", 1}, {"divider", 0.5}}}},
      until,
      {{"capture", (dir / "ab.png").string()}, {"region", "viewport"}},
      {{"capture", (out / "sr_samples_a_b.png").string()}, {"region", "window"}},
      {{"state", {{"strip", true}, {"samples", {0, 1}}}}},
      until,
      {{"capture", (out / "sr_samples_strip.png").string()}, {"region", "window"}},
  });
  setenv("FIELDSCOPE_SR_MODEL", srLdmModel().c_str(), 1);  // the picture opens with the diffusion model
  const StepsRun r = runSteps(picture, dir, steps);
  unsetenv("FIELDSCOPE_SR_MODEL");
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_EQ(r.log.at("captures").size(), 3u) << r.output;

  SrAutoencoder ae = restoreSrAutoencoder(ckpt);
  ae->eval();
  SrDiffusion diffusion = restoreSrDiffusion(ckpt);
  const torch::Tensor lr = photoPlanes(readPhotoPixels(picture)).rgb;
  const int64_t outW = 160, outH = 120;
  const torch::Tensor cond = encodeUpsampledTiled(ae, lr, outW, outH, upscaleTiles(ae->config()));
  SrSampling sampling;
  sampling.steps = 10;
  SrField seed0(ae, lr, outW, outH, int64_t(256) << 20, sampleSrLatents(diffusion, cond, {0}, sampling));
  SrField seed1(ae, lr, outW, outH, int64_t(256) << 20, sampleSrLatents(diffusion, cond, {1}, sampling));
  const PixelMap m(r.log.at("captures")[0], outW, outH);
  const auto shown = rgbOf(readImageRgba8(dir / "ab.png"));
  const int d = m.W / 2, r0 = int(m.H * 0.25), r1 = int(m.H * 0.75);
  const int left0 = int(0.5 * m.W - 0.5 * std::min(m.W, m.H)) + 8;
  const int right1 = std::min(int(0.5 * m.W + 0.5 * std::min(m.W, m.H)) - 8, m.W - 330);
  const auto a = shown.narrow(1, r0, r1 - r0).narrow(2, left0, d - 14 - left0);
  const auto b = shown.narrow(1, r0, r1 - r0).narrow(2, d + 14, right1 - d - 14);
  EXPECT_GE(psnrUnit(a, directly(seed0, m, left0, r0, d - 14, r1, false)), 40.0) << "left of the divider is not seed 0";
  EXPECT_GE(psnrUnit(b, directly(seed1, m, d + 14, r0, right1, r1, false)), 40.0) << "right of the divider is not seed 1";
  EXPECT_LT(psnrUnit(a, directly(seed1, m, left0, r0, d - 14, r1, false)), 60.0) << "the two samples are the same picture";
}

}  // namespace
}  // namespace fieldscope
