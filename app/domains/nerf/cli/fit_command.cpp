// fieldscope fit nerf --data DIR -o scene.fsm: fits one NeRF-synthetic scene (ours from
// `data scenes`, or a user's, in the Blender lego layout) on the shared training loop
// (docs/architecture.md "The NeRF domain", "Training").
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

namespace fieldscope {

void registerNerfFitCommand(CommandRegistry& registry) {
  CLI::App* fit = registry.verb("fit", "fit a field to one piece of data");
  struct Opts {
    NerfFitOptions fit;
    std::string data;
    int downscale = 1;
    TrainingCompute compute;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* nerf = fit->add_subcommand(
      "nerf", "fit a NeRF scene (triplane + MLP) to posed pictures: a folder with transforms_train.json (and "
              "transforms_test.json for the test-view PSNR), e.g. a scene of `fieldscope data scenes` or the Blender lego set");
  nerf->add_option("--data", o->data, "the scene folder (holding transforms_train.json)")->required()->check(CLI::ExistingDirectory);
  nerf->add_option("--preset", o->fit.preset, "small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  addTrainingRunOptions(nerf, o->fit.run, "output scene checkpoint (.fsm)");
  nerf->add_option("--rays", o->fit.raysPerStep, "rays per step")->default_val(o->fit.raysPerStep)->check(CLI::Range(1, 1 << 20));
  nerf->add_option("--lr", o->fit.lr, "peak learning rate of the MLP (the planes learn 4x faster)")
      ->default_val(o->fit.lr)->check(CLI::Range(1e-7, 1.0));
  nerf->add_option("--downscale", o->downscale, "shrink the pictures by this whole factor first (800 px lego: 4 or 8)")
      ->default_val(1)->check(CLI::Range(1, 64));
  addTrainingComputeOptions(nerf, o->compute, false);
  nerf->callback([o] {
    NerfFitOptions opt = o->fit;
    if (startTrainingCommand(opt.run, o->compute)) return;
    checkTrainingRun(opt.run);  // a typo in -o does not wait for the pictures
    NerfLoadOptions load;
    load.downscale = o->downscale;
    const NerfViews train = loadNerfViews(o->data, "train", load);
    const bool haveTest = std::filesystem::exists(nerfTransformsPath(o->data, "test"));
    const NerfViews test = haveTest ? loadNerfViews(o->data, "test", load) : NerfViews{torch::empty({0, 1, 1, 3}), {}};
    opt.data = {{"folder", std::filesystem::absolute(o->data).string()},
                {"train_views", train.count()},
                {"test_views", test.count()},
                {"size", {train.width(), train.height()}},
                {"downscale", o->downscale}};
    const NerfFitResult r = fitNerfScene(opt, train, test);
    char what[128] = "";
    if (!r.interrupted && haveTest) std::snprintf(what, sizeof what, ": test views %.2f dB PSNR", r.testPsnr);
    reportTrainingRun(what, opt.run, r.interrupted, r.stepsDone, r.seconds);
  });
}

}  // namespace fieldscope
