// fieldscope train nerf-planes | nerf-vae | nerf-ldm: DDMI's NeRF generation in three stages
// (docs/architecture.md "The NeRF domain", "Training"): the training scenes' triplanes fitted by
// auto-decoding with one shared MLP, a VAE over those triplanes, a latent diffusion model over the
// VAE's latents.
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/train_compute.h"
#include "app/cli/train_flags.h"
#include "app/domains/nerf/cli/nerf_commands.h"
#include "model/nerf/nerf_dataset.h"
#include "model/scene_data/scene_dataset.h"
#include "model/train/nerf_fit_trainer.h"
#include "model/checkpoint/checkpoint.h"
#include "model/nerf/nerf_sample_eval.h"
#include "model/nerf/nerf_scene_model.h"
#include "model/train/nerf_ldm_trainer.h"
#include "model/train/nerf_vae_trainer.h"

namespace fieldscope {
namespace {

void registerPlanes(CLI::App* train) {
  struct Opts {
    NerfFitOptions fit;
    std::string data;
    TrainingCompute compute;
  };
  auto o = std::make_shared<Opts>();
  o->fit.testViewsPerScene = 3;
  CLI::App* c = train->add_subcommand(
      "nerf-planes", "fit the training scenes of a scene set (`fieldscope data scenes`) together: one triplane per "
                     "scene, one shared MLP (auto-decoding; the first stage of NeRF generation)");
  c->add_option("--data", o->data, "the scene set (holding scenes.json, or scene folders)")->required()->check(CLI::ExistingDirectory);
  c->add_option("--preset", o->fit.preset, "small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  c->add_option("--plane-resolution", o->fit.planeResolution, "triplane resolution R (default: the preset's)")
      ->check(CLI::Range(4, 256));
  addTrainingRunOptions(c, o->fit.run, "output scene set (.fsm)");
  c->add_option("--rays", o->fit.raysPerStep, "rays per step (split among the step's scenes)")
      ->default_val(o->fit.raysPerStep)->check(CLI::Range(1, 1 << 20));
  c->add_option("--scenes-per-step", o->fit.scenesPerStep, "scenes each step's rays come from")
      ->default_val(o->fit.scenesPerStep)->check(CLI::Range(1, 4096));
  c->add_option("--test-views", o->fit.testViewsPerScene, "test views of each scene for the final PSNR (0: all)")
      ->default_val(o->fit.testViewsPerScene)->check(CLI::Range(0, 100000));
  c->add_option("--lr", o->fit.lr, "peak learning rate of the MLP (the planes learn 4x faster)")
      ->default_val(o->fit.lr)->check(CLI::Range(1e-7, 1.0));
  addTrainingComputeOptions(c, o->compute, false);
  c->callback([o] {
    NerfFitOptions opt = o->fit;
    if (startTrainingCommand(opt.run, o->compute)) return;
    checkTrainingRun(opt.run);
    const SceneFolders folders = listSceneFolders(o->data);
    if (folders.train.size() < 2)
      throw std::runtime_error("'" + o->data + "' holds " + std::to_string(folders.train.size()) +
                               " training scene(s); a scene set needs at least 2 (`fit nerf` fits one scene)");
    std::vector<NerfSceneViews> scenes;
    for (const auto& f : folders.train) scenes.push_back(loadNerfSceneViews(f));
    opt.data = {{"folder", std::filesystem::absolute(o->data).string()},
                {"scenes", scenes.size()},
                {"held_out_scenes", folders.heldOut.size()},
                {"size", {scenes.front().train.width(), scenes.front().train.height()}}};
    const NerfFitResult r = fitNerfScenes(opt, scenes);
    char what[128] = "";
    if (!r.interrupted) std::snprintf(what, sizeof what, ": test views %.2f dB PSNR (mean over the scenes)", r.testPsnr);
    reportTrainingRun(what, opt.run, r.interrupted, r.stepsDone, r.seconds);
  });
}

// The views of the scenes a scene-set, VAE or model file names (config["scenes"]), from the set's folder.
std::vector<NerfSceneViews> viewsOfScenes(const Checkpoint& file, const std::filesystem::path& data) {
  if (!file.config.contains("scenes") || !file.config["scenes"].is_array())
    throw std::runtime_error("'" + file.file.string() + "' names no training scenes");
  std::vector<NerfSceneViews> scenes;
  for (const auto& name : file.config["scenes"]) {
    const std::filesystem::path folder = data / name.get<std::string>();
    if (!std::filesystem::is_directory(folder))
      throw std::runtime_error("'" + file.file.string() + "' was trained on scene '" + name.get<std::string>() +
                               "', which '" + data.string() + "' does not hold");
    scenes.push_back(loadNerfSceneViews(folder));
  }
  return scenes;
}

void registerVae(CLI::App* train) {
  struct Opts {
    NerfVaeTrainOptions vae;
    std::string data;
    TrainingCompute compute;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = train->add_subcommand("nerf-vae", "train the NeRF VAE on a scene set's fitted triplanes (`train nerf-planes`)");
  c->add_option("--planes", o->vae.planesPath, "the scene set (.fsm from `train nerf-planes`)")->required()->check(CLI::ExistingFile);
  c->add_option("--data", o->data, "the scene set's folder (its pictures: the rendered-colour term and the test views)")
      ->required()->check(CLI::ExistingDirectory);
  addTrainingRunOptions(c, o->vae.run, "output VAE (.fsm)");
  c->add_option("--batch", o->vae.batch, "scenes a step")->default_val(o->vae.batch)->check(CLI::Range(1, 4096));
  c->add_option("--render-rays", o->vae.renderRays, "pixels a step for the rendered-colour term (0: planes only)")
      ->default_val(o->vae.renderRays)->check(CLI::Range(0, 1 << 20));
  c->add_option("--latent-channels", o->vae.latentChannels, "latent channels per plane")
      ->default_val(o->vae.latentChannels)->check(CLI::Range(1, 256));
  c->add_option("--width", o->vae.vaeChannels, "conv width of the VAE")->default_val(o->vae.vaeChannels)->check(CLI::Range(8, 1024));
  c->add_option("--kl", o->vae.klWeight, "KL weight")->default_val(o->vae.klWeight)->check(CLI::Range(0.0, 10.0));
  c->add_option("--lr", o->vae.lr, "peak learning rate")->default_val(o->vae.lr)->check(CLI::Range(1e-7, 1.0));
  addTrainingComputeOptions(c, o->compute, false);
  c->callback([o] {
    NerfVaeTrainOptions opt = o->vae;
    if (startTrainingCommand(opt.run, o->compute)) return;
    checkTrainingRun(opt.run);
    const Checkpoint set = loadCheckpoint(opt.planesPath, "nerf");
    const NerfVaeTrainResult r = trainNerfVae(opt, set, viewsOfScenes(set, o->data));
    char what[160] = "";
    if (!r.interrupted)
      std::snprintf(what, sizeof what, ": test views %.2f dB (fitted planes %.2f dB)", r.vaeTestPsnr, r.fittedTestPsnr);
    reportTrainingRun(what, opt.run, r.interrupted, r.stepsDone, r.seconds);
  });
}

// Samples `count` seeds of the finished model and writes their scores into its metrics.
void scoreSamples(const std::filesystem::path& modelPath, const std::filesystem::path& data, int count, bool quiet) {
  Checkpoint file = loadCheckpoint(modelPath, "nerf");
  auto model = NerfSceneModel::fromCheckpoint(file);
  const std::vector<NerfSceneViews> scenes = viewsOfScenes(file, data);
  nlohmann::json per = nlohmann::json::array();
  double sum = 0;
  for (int seed = 0; seed < count; ++seed) {
    const SampledSceneScore s = scoreSampledScene(model->sample(uint64_t(seed)), scenes, 3);
    per.push_back({{"seed", seed}, {"nearest_scene", s.nearest >= 0 ? scenes[size_t(s.nearest)].name : ""}, {"psnr_db", s.psnrDb}});
    sum += s.psnrDb;
    if (!quiet) std::fprintf(stderr, "fieldscope: sample %d: %.2f dB against %s\n", seed, s.psnrDb, per.back()["nearest_scene"].get<std::string>().c_str());
  }
  file.config["metrics"]["sampled"] = {{"samples", count}, {"steps", 50}, {"test_views", 3},
                                       {"mean_nearest_psnr_db", count ? sum / count : 0.0}, {"per_seed", per},
                                       {"rule", "each sample rendered at every training scene's first test view; the best-matching scene's "
                                                "first 3 test views scored"}};
  saveCheckpoint(modelPath, file);
  if (!quiet) std::fprintf(stderr, "fieldscope: %d samples: %.2f dB PSNR against their nearest training scenes\n", count, count ? sum / count : 0.0);
}

void registerLdm(CLI::App* train) {
  struct Opts {
    NerfLdmTrainOptions ldm;
    std::string data;
    int evalSamples = 8;
    TrainingCompute compute;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* c = train->add_subcommand("nerf-ldm", "train the latent diffusion model over a NeRF VAE's latents (the NeRF scene generator)");
  c->add_option("--vae", o->ldm.vaePath, "the NeRF VAE (.fsm from `train nerf-vae`)")->required()->check(CLI::ExistingFile);
  addTrainingRunOptions(c, o->ldm.run, "output model (VAE + LDM, .fsm)");
  c->add_option("--preset", o->ldm.preset, "UNet size: small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  c->add_option("--batch", o->ldm.batch, "latents per step")->default_val(o->ldm.batch)->check(CLI::Range(1, 4096));
  c->add_option("--lr", o->ldm.lr, "peak learning rate")->default_val(o->ldm.lr)->check(CLI::Range(1e-7, 1.0));
  c->add_option("--data", o->data, "the scene set's folder: score sampled scenes against its scenes' test views at the end")
      ->check(CLI::ExistingDirectory);
  c->add_option("--eval-samples", o->evalSamples, "seeds 0..N-1 scored with --data")->default_val(o->evalSamples)->check(CLI::Range(1, 10000));
  addTrainingComputeOptions(c, o->compute, false);
  c->callback([o] {
    NerfLdmTrainOptions opt = o->ldm;
    if (startTrainingCommand(opt.run, o->compute)) return;
    const NerfLdmTrainResult r = trainNerfLdm(opt);
    if (!r.interrupted && !o->data.empty() && opt.run.dist.rank == 0) scoreSamples(opt.run.out, o->data, o->evalSamples, opt.run.quiet);
    reportTrainingRun("", opt.run, r.interrupted, r.stepsDone, r.seconds);
  });
}

}  // namespace

void registerNerfTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");
  registerPlanes(train);
  registerVae(train);
  registerLdm(train);
}

}  // namespace fieldscope
