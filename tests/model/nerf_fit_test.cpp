// Fitting a NeRF scene (docs/architecture.md "The NeRF domain"): a triplane and MLP learn posed
// views on the shared training loop and render held-out views; the scene checkpoint round-trips.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>

#include "model/checkpoint/checkpoint.h"
#include "model/nerf/nerf_field.h"
#include "model/nerf/nerf_scene_io.h"
#include "model/nerf/nerf_views.h"
#include "model/train/nerf_fit_trainer.h"
#include "test_support.h"

namespace fieldscope {
namespace {

// Two coloured balls: the ground truth the views are rendered from.
NerfSamples balls(const torch::Tensor& p, const torch::Tensor&) {
  const torch::Tensor a = (p - torch::tensor({0.3f, 0.f, 0.f})).norm(2, -1);
  const torch::Tensor b = (p - torch::tensor({-0.4f, 0.2f, 0.1f})).norm(2, -1);
  const torch::Tensor sa = 30.0 * torch::sigmoid((0.5 - a) * 25.0), sb = 30.0 * torch::sigmoid((0.35 - b) * 25.0);
  const torch::Tensor ca = torch::tensor({0.9f, 0.2f, 0.1f}).expand({p.size(0), 3});
  const torch::Tensor cb = torch::tensor({0.1f, 0.3f, 0.9f}).expand({p.size(0), 3});
  const torch::Tensor wa = (sa / (sa + sb + 1e-6)).unsqueeze(1);
  return {sa + sb, wa * ca + (1 - wa) * cb};
}

RayCamera orbit(float azimuth, float elevation) {
  const float ce = std::cos(elevation), se = std::sin(elevation);
  const std::array<float, 3> eye{4 * ce * std::cos(azimuth), 4 * ce * std::sin(azimuth), 4 * se};
  RayCamera c;
  c.origin = eye;
  for (int i = 0; i < 3; ++i) c.forward[size_t(i)] = -eye[size_t(i)] / 4;
  // right = forward x +Z, up = right x forward
  c.right = {c.forward[1], -c.forward[0], 0};
  const float rl = std::hypot(c.right[0], c.right[1]);
  c.right = {c.right[0] / rl, c.right[1] / rl, 0};
  c.up = {c.right[1] * c.forward[2] - c.right[2] * c.forward[1], c.right[2] * c.forward[0] - c.right[0] * c.forward[2],
          c.right[0] * c.forward[1] - c.right[1] * c.forward[0]};
  c.tanHalfFovY = 0.36f;
  return c;
}

NerfViews renderViews(int count, int size, float phase) {
  torch::NoGradGuard g;
  NerfViews v;
  std::vector<torch::Tensor> images;
  VolumeRenderOptions o;
  o.stratified = 128;
  o.importance = 64;
  for (int k = 0; k < count; ++k) {
    v.cameras.push_back(orbit(phase + 2.0f * float(M_PI) * float(k) / float(count), 0.5f * std::sin(float(k) * 1.7f)));
    images.push_back(renderRays(balls, pixelRays(v.cameras.back(), size, size), o).rgb.view({size, size, 3}));
  }
  v.images = torch::stack(images);
  return v;
}

TEST(NerfFit, ATriplaneLearnsPosedViewsAndRendersHeldOutOnes) {
  const NerfViews train = renderViews(24, 24, 0.0f), test = renderViews(4, 24, 0.4f);
  test::TempDir dir("nerf-fit");
  NerfFitOptions o;
  o.preset = "tiny";
  o.raysPerStep = 512;
  o.lr = 1e-2;
  o.run.steps = 100;
  o.run.checkpointEvery = 1000;
  o.run.quiet = true;
  o.run.out = dir.path / "scene.fsm";
  const auto t0 = std::chrono::steady_clock::now();
  const NerfFitResult r = fitNerfScene(o, train, test);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("fit: %lld steps in %.1f s, test PSNR %.2f dB, batch %.2f dB\n", static_cast<long long>(r.stepsDone),
              seconds, r.testPsnr, r.trainPsnr);
  EXPECT_EQ(r.stepsDone, 100);
  // Better than the empty scene (all background) by far: the balls are where the views see them.
  const double empty = psnrDb(torch::ones_like(test.images), test.images);
  EXPECT_GT(r.testPsnr, empty + 3.0) << "an empty scene scores " << empty << " dB";
  // The file holds the field: rendering it again gives the same score.
  const NerfField f = loadNerfScene(o.run.out);
  EXPECT_NEAR(meanViewPsnr(f, test), r.testPsnr, 1e-3);
  const Checkpoint c = loadCheckpoint(o.run.out, "nerf");
  EXPECT_EQ(c.config["kind"], "scene");
  EXPECT_NEAR(c.config["metrics"]["test_psnr_db"].get<double>(), r.testPsnr, 1e-9);
}

TEST(NerfFit, ACheckpointOfAnotherDomainOrWithBrokenPlanesIsRefusedByName) {
  test::TempDir dir("nerf-bad");
  NerfField f = makeNerfField(NerfConfig::preset_("tiny"), 1);
  Checkpoint c;
  c.config = {{"domain", "nerf"}, {"kind", "scene"}};
  storeNerfField(c, f);
  c.tensors["planes"] = torch::zeros({3, 2, 4, 4});
  saveCheckpoint(dir.path / "bad.fsm", c);
  try {
    loadNerfScene(dir.path / "bad.fsm");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.fsm"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("planes"), std::string::npos) << e.what();
  }
  c.config["domain"] = "image";
  c.tensors["planes"] = f.planes;
  saveCheckpoint(dir.path / "image.fsm", c);
  EXPECT_THROW(loadNerfScene(dir.path / "image.fsm"), std::runtime_error);
}

}  // namespace
}  // namespace fieldscope
