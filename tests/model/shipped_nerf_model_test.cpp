// The shipped generative NeRF model (assets/models/scenes-nerf.fsm, its card in
// assets/models/README.md; `scripts/train_nerf_model.sh` makes it): the 24-scene set is made again
// here (the same seed gives the same pictures), a training scene's VAE encoding renders that
// scene's test views, and sampled seeds are scenes of the set's kind -- each matches a training
// scene's test views -- and different seeds are different scenes (issue 14).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/checkpoint/checkpoint.h"
#include "model/nerf/nerf_dataset.h"
#include "model/nerf/nerf_sample_eval.h"
#include "model/nerf/nerf_scene_model.h"
#include "model/nerf/nerf_view_psnr.h"
#include "model/scene_data/scene_dataset.h"
#include "test_support.h"

namespace fieldscope {
namespace {

const std::filesystem::path kShippedModel = FIELDSCOPE_SOURCE_DIR "/assets/models/scenes-nerf.fsm";

TEST(ShippedNerfModel, AnEncodedSceneAndSampledSeedsRenderLikeTheSetsScenes) {
  ASSERT_TRUE(std::filesystem::exists(kShippedModel)) << kShippedModel << " is part of the repository";
  const Checkpoint c = loadCheckpoint(kShippedModel, "nerf");
  EXPECT_EQ(c.config.at("kind"), "vae+ldm");
  const nlohmann::json& m = c.config.at("metrics");
  for (const char* k : {"fitted_test_psnr_db", "vae_test_psnr_db"}) EXPECT_TRUE(m.contains(k)) << k;
  ASSERT_TRUE(m.contains("sampled"));
  auto model = NerfSceneModel::fromCheckpoint(c);

  test::TempDir dir("shipped-nerf-model");
  SceneDataOptions o;
  o.count = 24;
  o.size = 64;
  o.seed = 0;
  o.trainViews = 1;  // only the test views are compared; a scene and its test cameras do not depend on this
  makeSceneDataset(dir.path / "scenes", o);
  const SceneFolders folders = listSceneFolders(dir.path / "scenes");
  ASSERT_EQ(folders.train.size(), 21u);
  std::vector<NerfSceneViews> scenes;
  for (const auto& f : folders.train) scenes.push_back(loadNerfSceneViews(f));
  ASSERT_EQ(c.config.at("scenes").size(), scenes.size());

  // Scene 0 through the VAE (its posterior mean decoded): its own unseen test views.
  const NerfField encoded = model->decode(model->trainingLatents().narrow(0, 0, 1));
  const double rec = meanViewPsnr(encoded, scenes[0].test, 3);
  std::printf("shipped NeRF model: scene_0000 through the VAE: %.2f dB\n", rec);
  EXPECT_GE(rec, 22.0);

  // Two seeds: each is close to some training scene, and they are not the same scene.
  const NerfField a = model->sample(0), b = model->sample(1);
  const SampledSceneScore sa = scoreSampledScene(a, scenes, 3), sb = scoreSampledScene(b, scenes, 3);
  std::printf("shipped NeRF model: seed 0 %.2f dB (%s), seed 1 %.2f dB (%s)\n", sa.psnrDb,
              scenes[size_t(sa.nearest)].name.c_str(), sb.psnrDb, scenes[size_t(sb.nearest)].name.c_str());
  EXPECT_GE(sa.psnrDb, 18.0);
  EXPECT_GE(sb.psnrDb, 18.0);
  EXPECT_GT((a.planes - b.planes).abs().mean().item<double>(), 1e-3);
}

}  // namespace
}  // namespace fieldscope
