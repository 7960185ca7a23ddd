// NeRF generation (docs/architecture.md "The NeRF domain"): a scene set's triplanes fitted together
// with one shared MLP (`train nerf-planes`, stopped half-way and resumed), the NeRF VAE over them (`train nerf-vae`), the latent
// diffusion model over its latents (`train nerf-ldm`, scoring sampled scenes), and `sample --seed`
// drawing a scene of a seed -- the same scene for the same seed, another for another seed -- plus
// named refusals of files of the wrong kind.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "app/domains/nerf/cli/nerf_commands.h"
#include "cli_runner.h"
#include "model/checkpoint/checkpoint.h"
#include "model/io/png_file.h"
#include "model/nerf/nerf_dataset.h"
#include "model/nerf/nerf_scene_model.h"
#include "model/nerf/nerf_scene_set.h"
#include "model/nerf/nerf_view_psnr.h"
#include "model/nerf/nerf_vae.h"
#include "test_support.h"

namespace fieldscope {
namespace {

const test::CliRunner genCli(DomainList{{"nerf", registerNerfCommands, nullptr}});

// One trained pipeline (a few seconds of training in all): ctest runs every test in a process of
// its own, so the stages' checks are one test.
struct Pipeline {
  test::TempDir dir{"nerf-gen"};
  std::filesystem::path data = dir.path / "scenes", set = dir.path / "set.fsm", vae = dir.path / "vae.fsm",
                        model = dir.path / "model.fsm";
  Pipeline() {
    genCli.run({"data", "scenes", "-o", data.string(), "--count", "3", "--size", "16", "--views", "12", "--test-views", "2"});
    // In two parts: stopped at step 30 and resumed from its training state.
    const std::vector<std::string> planes{"train", "nerf-planes", "--data", data.string(), "--preset", "tiny",
                                          "--plane-resolution", "16", "--steps", "60", "--rays", "384",
                                          "--scenes-per-step", "3", "--lr", "0.01", "--threads", "2", "-o", set.string()};
    auto part = planes;
    part.insert(part.end(), {"--stop-at", "30"});
    genCli.run(part);
    part = planes;
    part.push_back("--resume");
    genCli.run(part);
    genCli.run({"train", "nerf-vae", "--planes", set.string(), "--data", data.string(), "--steps", "30", "--batch", "3",
                "--render-rays", "64", "--width", "16", "--latent-channels", "2", "--threads", "2", "-o", vae.string()});
    genCli.run({"train", "nerf-ldm", "--vae", vae.string(), "--preset", "tiny", "--steps", "20", "--batch", "8",
                "--data", data.string(), "--eval-samples", "2", "--threads", "2", "-o", model.string()});
  }
};

void autoDecodingFitsEveryTrainingSceneWithOneSharedMlp(const Pipeline& p) {
  const Checkpoint c = loadCheckpoint(p.set, "nerf");
  EXPECT_EQ(c.config["kind"], "scene-set");
  const NerfSceneSet set = restoreNerfSceneSet(c);
  ASSERT_EQ(set.count(), 3);
  EXPECT_EQ(set.names, (std::vector<std::string>{"scene_0000", "scene_0001", "scene_0002"}));
  EXPECT_EQ(set.planes.sizes(), torch::IntArrayRef({3, 3, 8, 16, 16}));
  // Each scene's own planes render its own test views better than another scene's planes do.
  for (int64_t i = 0; i < 3; ++i) {
    const NerfSceneViews v = loadNerfSceneViews(p.data / set.names[size_t(i)]);
    const double own = meanViewPsnr(set.field(i), v.test), other = meanViewPsnr(set.field((i + 1) % 3), v.test);
    EXPECT_GT(own, other + 0.5) << set.names[size_t(i)] << ": own planes " << own << " dB, another scene's " << other;
  }
  EXPECT_GT(c.config["metrics"]["test_psnr_db"].get<double>(), 12.0);
  EXPECT_EQ(c.config["training"]["steps"], 60);  // the resumed half finished the run
}

void theVaeCarriesTheSharedMlpAndItsTrainingLatents(const Pipeline& p) {
  const Checkpoint c = loadCheckpoint(p.vae, "nerf");
  EXPECT_EQ(c.config["kind"], "vae");
  NerfVaeParts parts = restoreNerfVae(c);
  EXPECT_EQ(c.at("train_latents.mean").sizes(), torch::IntArrayRef({3, 3, 2, 4, 4}));
  const NerfSceneSet set = restoreNerfSceneSet(loadCheckpoint(p.set, "nerf"));
  // The MLP is the set's, unchanged (the VAE trains with it frozen).
  const auto a = parts.mlp->parameters(), b = set.mlp->parameters();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i]));
  // Decoding a posterior mean gives planes of the set's shape; the metrics name both PSNRs.
  torch::NoGradGuard ng;
  EXPECT_EQ(parts.vae->decode(c.at("train_latents.mean").narrow(0, 0, 1)).sizes(), torch::IntArrayRef({1, 3, 8, 16, 16}));
  EXPECT_TRUE(c.config["metrics"].contains("vae_test_psnr_db"));
  EXPECT_TRUE(c.config["metrics"].contains("fitted_test_psnr_db"));
}

void aSeedGivesTheSameSceneEveryTimeAndAnotherSeedAnotherScene(const Pipeline& p) {
  const Checkpoint c = loadCheckpoint(p.model, "nerf");
  EXPECT_EQ(c.config["kind"], "vae+ldm");
  ASSERT_TRUE(c.config["metrics"].contains("sampled"));
  EXPECT_EQ(c.config["metrics"]["sampled"]["per_seed"].size(), 2u);
  auto model = NerfSceneModel::load(p.model);
  EXPECT_EQ(model->trainingLatents().size(0), 3);  // the model keeps what it was trained on
  const NerfField a = model->sample(3, 10), again = model->sample(3, 10), b = model->sample(4, 10);
  EXPECT_TRUE(torch::equal(a.planes, again.planes));
  EXPECT_GT((a.planes - b.planes).abs().max().item<double>(), 1e-4);
  // The command line draws the same scenes.
  const std::string png3 = (p.dir.path / "s3.png").string(), png3b = (p.dir.path / "s3b.png").string(),
                    png4 = (p.dir.path / "s4.png").string();
  for (const auto& [seed, out] : {std::pair{"3", png3}, {"3", png3b}, {"4", png4}})
    genCli.run({"sample", "--model", p.model.string(), "--seed", seed, "--steps", "10", "--size", "32x24", "-o", out});
  EXPECT_EQ(readImageRgba8(png3).pixels, readImageRgba8(png3b).pixels);
  EXPECT_NE(readImageRgba8(png3).pixels, readImageRgba8(png4).pixels);
}

TEST(NerfGenerative, ThreeStagesTrainAndASeedDrawsAScene) {
  const Pipeline p;
  {
    SCOPED_TRACE("train nerf-planes");
    autoDecodingFitsEveryTrainingSceneWithOneSharedMlp(p);
  }
  {
    SCOPED_TRACE("train nerf-vae");
    theVaeCarriesTheSharedMlpAndItsTrainingLatents(p);
  }
  {
    SCOPED_TRACE("train nerf-ldm, sample --seed");
    aSeedGivesTheSameSceneEveryTimeAndAnotherSeedAnotherScene(p);
  }
}

TEST(NerfGenerative, FilesOfTheWrongKindAreRefusedByName) {
  // Untrained files of each kind (nothing here needs trained weights).
  test::TempDir dir("nerf-gen-kinds");
  const NerfConfig cfg = [] {
    NerfConfig c = NerfConfig::preset_("tiny");
    c.planeResolution = 16;
    return c;
  }();
  const NerfField f = makeNerfField(cfg, 1);
  const std::filesystem::path set = dir.path / "set.fsm", vae = dir.path / "vae.fsm";
  {
    Checkpoint c;
    c.config = {{"domain", "nerf"}, {"kind", "scene-set"}};
    storeNerfSceneSet(c, NerfSceneSet{cfg, torch::stack({f.planes, f.planes, f.planes}), f.mlp,
                                      {"scene_0000", "scene_0001", "scene_0002"}});
    saveCheckpoint(set, c);
    Checkpoint v;
    v.config = {{"domain", "nerf"}, {"kind", "vae"}};
    storeNerfVae(v, NerfVae(cfg, NerfVaeConfig{}), f.mlp);
    saveCheckpoint(vae, v);
  }
  // A scene set or a VAE is not something `sample` shows; a set is not a generative model.
  const std::string out = (dir.path / "x.png").string();
  genCli.expectFails({"sample", "--model", set.string(), "-o", out}, "scene-set");
  genCli.expectFails({"sample", "--model", vae.string(), "-o", out}, "'vae'");
  EXPECT_FALSE(std::filesystem::exists(out));
  try {
    NerfSceneModel::load(set);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("set.fsm"), std::string::npos) << e.what();
  }
  // A scene set cannot train a VAE against a folder without its scenes.
  genCli.run({"data", "scenes", "-o", (dir.path / "s").string(), "--count", "2", "--size", "16", "--views", "2",
              "--test-views", "1"});
  genCli.expectFails({"train", "nerf-vae", "--planes", set.string(), "--data", (dir.path / "s").string(), "--steps", "1",
                      "-o", (dir.path / "v.fsm").string()},
                     "scene_0002");
  // A set needs at least two scenes to fit; a VAE file is not a scene set.
  genCli.expectFails({"train", "nerf-planes", "--data", (dir.path / "s" / "scene_0000").string(), "--steps", "1", "-o",
                      (dir.path / "p.fsm").string()},
                     "at least 2");
  genCli.expectFails({"train", "nerf-vae", "--planes", vae.string(), "--data", (dir.path / "s").string(), "--steps", "1",
                      "-o", (dir.path / "v.fsm").string()},
                     "vae.fsm");
}

}  // namespace
}  // namespace fieldscope
