// The shape VAE's parts (docs/architecture.md "Models"): roll-out, plane cells, batched triplane reads,
// config round trips, and that a few real training steps fit an occupancy.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/checkpoint/checkpoint.h"
#include "model/shape/point_encoder.h"
#include "model/shape/shape_eval.h"
#include "model/shape/shape_model.h"
#include "model/shape/shape_vae.h"
#include "model/shape/shape_vae_io.h"
#include "model/shape/triplane_vae.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {

TEST(ShapeRollOut, RollInInvertsRollOutAndPutsPlanesSideBySide) {
  auto planes = torch::randn({2, 3, 4, 5, 5});
  auto rolled = rollOut(planes);
  ASSERT_EQ(rolled.sizes(), (std::vector<int64_t>{2, 4, 5, 15}));
  EXPECT_TRUE(torch::equal(rolled.narrow(3, 5, 5), planes.select(1, 1)));  // the xz plane in the middle
  EXPECT_TRUE(torch::equal(rollIn(rolled), planes));
}

TEST(ShapePlaneCells, EachPointFallsInTheCellGridSampleReadsAtItsCentre) {
  const double bound = 0.55;
  const int64_t R = 8;
  auto points = (torch::rand({1, 200, 3}) * 2 - 1) * bound * 0.999;
  auto index = planeCellIndex(points, bound, R);  // 1 x 3 x 200
  // A plane whose cell c holds the value c, read at each point with nearest-cell semantics.
  auto plane = torch::arange(R * R, torch::kFloat32).view({1, 1, R, R});
  auto planes = plane.expand({3, 1, R, R}).contiguous();
  const auto unit = points[0] / bound;
  for (int k = 0; k < 3; ++k) {
    const int a = k == 2 ? 1 : 0, b = k == 0 ? 1 : 2;
    auto grid = torch::stack({unit.select(1, a), unit.select(1, b)}, 1).view({1, 1, -1, 2});
    namespace F = torch::nn::functional;
    auto read = F::grid_sample(planes.narrow(0, k, 1), grid,
                               F::GridSampleFuncOptions().mode(torch::kNearest).align_corners(false));
    EXPECT_TRUE(torch::equal(read.view({-1}).to(torch::kInt64), index[0][k])) << "plane " << k;
  }
}

TEST(ShapeTriplaneRead, BatchedReadEqualsOneShapeAtATime) {
  auto planes = torch::randn({2, 3, 4, 6, 6});
  auto points = torch::rand({2, 7, 3}) * 2 - 1;
  auto batched = sampleTriplane(planes, points);
  ASSERT_EQ(batched.sizes(), (std::vector<int64_t>{2, 7, 4}));
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(torch::allclose(batched[i], sampleTriplane(planes[i], points[i]), 1e-6, 1e-6));
}

TEST(ShapeVaeConfig, JsonRoundTripAndRejectsBadSizes) {
  for (const char* p : {"tiny", "small", "paper"}) {
    const auto c = ShapeVaeConfig::preset_(p);
    EXPECT_EQ(ShapeVaeConfig::fromJson(c.toJson()).toJson(), c.toJson()) << p;
  }
  auto j = ShapeVaeConfig::preset_("small").toJson();
  j["plane_resolution"] = 30;  // not a multiple of 2^downsamples
  EXPECT_THROW(ShapeVaeConfig::fromJson(j), std::runtime_error);
  j = ShapeVaeConfig::preset_("small").toJson();
  j.erase("latent_channels");
  EXPECT_THROW(ShapeVaeConfig::fromJson(j), std::runtime_error);
}

TEST(ShapeVae, ShapesThroughTheWholeModel) {
  torch::manual_seed(0);
  const auto c = ShapeVaeConfig::preset_("tiny");
  ShapeVae vae(c);
  auto post = vae->encode(torch::rand({2, 100, 3}) - 0.5);
  const int64_t r = c.latentResolution();
  ASSERT_EQ(post.mean.sizes(), (std::vector<int64_t>{2, 3, c.latentChannels, r, r}));
  auto fields = vae->decodeFields(post.mean);
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(fields.levels[k].sizes(), (std::vector<int64_t>{2, 3, c.decoder.fieldChannels, r << k, r << k}));
  EXPECT_EQ(vae->occupancy(fields, torch::rand({2, 9, 3}) - 0.5).sizes(), (std::vector<int64_t>{2, 9}));
}

// Points on a sphere of radius `radius` and labelled points inside/outside it.
ShapeSet sphereSet(const std::vector<double>& radii) {
  ShapeSet s;
  std::vector<torch::Tensor> surf, q, l;
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(7);
  for (double radius : radii) {
    auto d = torch::randn({512, 3}, gen);
    surf.push_back(d / d.norm(2, 1, true) * radius);
    auto qs = (torch::rand({1024, 3}, gen) * 2 - 1) * 0.55;
    q.push_back(qs);
    l.push_back((qs.norm(2, 1) < radius).to(torch::kFloat32));
  }
  s.surface = torch::stack(surf);
  s.queries = torch::stack(q);
  s.labels = torch::stack(l);
  return s;
}

TEST(ShapeVae, AFewStepsFitTwoSpheresOfDifferentSizes) {
  torch::manual_seed(1);
  auto c = ShapeVaeConfig::preset_("tiny");
  ShapeVae vae(c);
  const ShapeSet set = sphereSet({0.2, 0.4});
  const double before = evaluateReconstruction(vae, set).meanIoU;
  torch::optim::Adam adam(vae->parameters(), torch::optim::AdamOptions(3e-3));
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(3);
  for (int step = 0; step < 150; ++step) {
    ShapeBatch b = drawShapeBatch(set, torch::tensor({0, 1}), 256, 256, gen);
    auto logits = vae->occupancy(vae->decodeFields(vae->encode(b.surface).mean), b.queries);
    auto loss = torch::nn::functional::binary_cross_entropy_with_logits(logits, b.labels);
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  const auto after = evaluateReconstruction(vae, set);
  EXPECT_GT(after.meanIoU, 0.85) << "before " << before;
  EXPECT_GT(after.perShape[0], 0.7);  // the small sphere, a sixth of the large one's volume
}

TEST(ShapeIoU, CountsIntersectionOverUnion) {
  auto logits = torch::tensor({{1.f, 1.f, -1.f, -1.f}});
  auto labels = torch::tensor({{1.f, 0.f, 1.f, 0.f}});
  EXPECT_NEAR(occupancyIoU(logits, labels)[0].item<double>(), 1.0 / 3.0, 1e-9);
  EXPECT_NEAR(occupancyIoU(-torch::ones({1, 3}), torch::zeros({1, 3}))[0].item<double>(), 1.0, 1e-9);  // both empty
}

TEST(ShapeModel, SeedsAreDeterministicAndBlendEndsAreTheSeeds) {
  auto m = ShapeModel::untrained("tiny");
  auto a = m->sampleLatent(5, 4), b = m->sampleLatent(6, 4);
  EXPECT_TRUE(torch::equal(a, m->sampleLatent(5, 4)));
  EXPECT_FALSE(torch::equal(a, b));
  EXPECT_TRUE(torch::allclose(m->sampleLatentBlend(5, 6, 0.f, 4), a, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(m->sampleLatents({5, 6}, 4)[1], b[0], 1e-5, 1e-5));
  auto fields = m->makeFields(a);
  auto grid = torch::empty({12, 12, 12});
  ASSERT_TRUE(m->bake(fields, 12, grid));
  // The bake equals the readout at the voxel centres.
  const double c = voxelCentre(3, 12, m->bound()), x = voxelCentre(7, 12, m->bound()), z = voxelCentre(1, 12, m->bound());
  auto direct = m->occupancyAt(fields, torch::tensor({{float(x), float(c), float(z)}}));
  EXPECT_NEAR(grid[1][3][7].item<float>(), direct[0].item<float>(), 1e-5);
}

TEST(ShapeModel, CheckpointRoundTripAndWrongDomainIsNamed) {
  test::TempDir dir("shape_ckpt");
  torch::manual_seed(2);
  ShapeVae vae(ShapeVaeConfig::preset_("tiny"));
  Checkpoint ck;
  ck.config = {{"domain", "shape"}, {"kind", "vae"}};
  storeShapeVae(ck, vae);
  saveCheckpoint(dir.path / "s.fsm", ck);
  auto m = ShapeModel::load(dir.path / "s.fsm");
  EXPECT_FALSE(m->canSample());
  auto pts = torch::rand({64, 3}) - 0.5;
  torch::NoGradGuard ng;
  EXPECT_TRUE(torch::allclose(m->encode(pts), vae->encode(pts.unsqueeze(0)).mean, 1e-5, 1e-5));
  try {
    m->sampleLatent(1);
    FAIL() << "a VAE-only model sampled";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("s.fsm"), std::string::npos) << e.what();
  }
  ck.config["domain"] = "image";
  saveCheckpoint(dir.path / "i.fsm", ck);
  try {
    ShapeModel::load(dir.path / "i.fsm");
    FAIL() << "an image-domain file loaded as a shape model";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("i.fsm"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fieldscope
