// The viewer's headless render of a sample's region, once the still view has converged
// (tile pyramid + worker + Vulkan compositor), equals the direct torch decode of the same
// seed and region (max abs error <= 2/255), on and between pyramid levels.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "app/gui/viewer_region_render.h"
#include "model/image/image_model.h"
#include "test_support.h"

namespace fieldscope {
namespace {

TEST(ViewerVsDirect, ConvergedViewerRenderEqualsDirectDecode) {
  enableValidationForTests();
  const std::filesystem::path model = FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm";
  ASSERT_TRUE(std::filesystem::exists(model)) << "the shipped model is missing: " << model;
  torch::set_num_threads(2);
  auto direct = ImageModel::load(model);
  constexpr uint64_t seed = 11;
  constexpr int steps = 8;
  // the viewer samples a class-conditional model in group "any" at the file's guidance
  ClassGuidance guide;
  if (!direct->classes().empty()) guide = {kAnyClass, direct->classes().defaultGuidance};
  ImageFields fields = direct->makeFields(direct->sampleLatent(seed, steps, 0.f, guide));
  struct Case {
    double r[4];
    int W, H;
  };
  const Case cases[] = {
      {{0.0, 0.0, 1.0, 1.0}, 256, 256},                   // on level 0
      {{0.31, 0.27, 0.31 + 0.3, 0.27 + 0.2}, 240, 160},   // between levels (x3.3)
      {{0.9, -0.05, 0.9 + 0.2, 0.15}, 200, 200},          // partly outside the image
  };
  for (const Case& c : cases) {
    std::vector<uint8_t> viewer(size_t(c.W) * c.H * 4);
    renderRegionInViewer(ComputeOptions{}, model.string(), seed, steps, 0.f, c.r, c.W, c.H, viewer.data());
    auto got = torch::from_blob(viewer.data(), {c.H, c.W, 4}, torch::kUInt8).to(torch::kInt32);
    auto want = torch::empty({c.H, c.W, 4}, torch::kUInt8);
    direct->decodeRegion(fields, c.r[0], c.r[1], c.r[2], c.r[3], c.W, c.H, want);
    // Outside the image the viewer shows its background; compare the image part.
    const int x1 = std::min(c.W, int(std::floor((1.0 - c.r[0]) / (c.r[2] - c.r[0]) * c.W)));
    const int y0 = std::max(0, int(std::ceil((0.0 - c.r[1]) / (c.r[3] - c.r[1]) * c.H)));
    auto diff = (got - want.to(torch::kInt32)).abs().slice(0, y0, c.H).slice(1, 0, x1);
    EXPECT_LE(diff.max().item<int>(), 2) << "region " << c.r[0] << "," << c.r[1];
    EXPECT_GT(got.slice(0, y0, c.H).slice(1, 0, x1).to(torch::kFloat).std().item<float>(), 1.0f) << "not blank";
  }
}

}  // namespace
}  // namespace fieldscope
