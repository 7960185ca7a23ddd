// The shipped shape model (assets/models/shapes-occupancy.fsm) against held-out procedural shapes it
// never saw (index % 10 == 9 of the set it was trained on), in the volumetric-IoU protocol of
// model/shape/volumetric_iou.h (docs/architecture.md "The shape domain").
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <utility>
#include <vector>

#include "model/shape/shape_model.h"
#include "model/shape/volumetric_iou.h"

namespace fieldscope {
namespace {

const std::filesystem::path kShipped = FIELDSCOPE_SOURCE_DIR "/assets/models/shapes-occupancy.fsm";

TEST(ShapeVolumetricIoU, HeldOutShapesAreLabelledByTheSolidAndAnUntrainedModelScoresLow) {
  std::vector<std::pair<int64_t, int64_t>> made, scored;  // the progress reports (issue 15, item 7)
  const auto shapes = proceduralHeldOutShapes(3, 1, 256, 4000, 32, [&](int64_t d, int64_t t) { made.emplace_back(d, t); });
  ASSERT_EQ(shapes.size(), 3u);
  EXPECT_EQ(made, (std::vector<std::pair<int64_t, int64_t>>{{1, 3}, {2, 3}, {3, 3}}));
  for (const auto& s : shapes) {
    EXPECT_EQ(s.surface.sizes(), (std::vector<int64_t>{256, 3}));
    EXPECT_EQ(s.points.sizes(), (std::vector<int64_t>{4000, 3}));
    EXPECT_LE(s.points.abs().max().item<double>(), 0.55 + 1e-6);  // uniform in the model's box
    const double inside = s.labels.mean().item<double>();
    EXPECT_GT(inside, 0.01) << s.name;  // a real solid: some of the box, never all of it
    EXPECT_LT(inside, 0.9) << s.name;
  }
  torch::manual_seed(0);
  auto untrained = ShapeModel::untrained("tiny");
  EXPECT_LT(reconstructionIoU(untrained->vae(), shapes, [&](int64_t d, int64_t t) { scored.emplace_back(d, t); }).meanIoU, 0.5);
  EXPECT_EQ(scored, made) << "one report per shape scored";
}

TEST(ShippedShapeModel, ReconstructsHeldOutShapesFromTheirPointCloudsWithIoUAtLeast08) {
  ASSERT_TRUE(std::filesystem::exists(kShipped)) << kShipped << " is part of the repository";
  auto model = ShapeModel::load(kShipped);
  const auto shapes = proceduralHeldOutShapes(20, 1, model->pointCount(), 20000);
  const ShapeReconstruction r = reconstructionIoU(model->vae(), shapes);
  EXPECT_GE(r.meanIoU, 0.8);
  for (std::size_t i = 0; i < shapes.size(); ++i) RecordProperty(shapes[i].name, std::to_string(r.perShape[i]));
}

}  // namespace
}  // namespace fieldscope
