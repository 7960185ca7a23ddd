// fieldscope train shape-vae | shape-ldm
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/train_compute.h"
#include "app/cli/train_flags.h"
#include "app/domains/shape/cli/shape_commands.h"
#include "model/train/shape_ldm_trainer.h"
#include "model/train/shape_vae_trainer.h"

namespace fieldscope {

void registerShapeTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");

  auto v = std::make_shared<ShapeVaeTrainOptions>();
  auto vCompute = std::make_shared<TrainingCompute>();
  CLI::App* vae = train->add_subcommand("shape-vae", "train the shape VAE (point cloud -> triplane latent -> occupancy)");
  vae->add_option("--data", v->dataDir, "shape dataset folder (from `fieldscope data shapes`)")->required();
  vae->add_option("--preset", v->preset, "small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  addTrainingRunOptions(vae, v->run, "output checkpoint (.fsm)");
  vae->add_option("--batch", v->batch, "shapes per step")->default_val(v->batch);
  vae->add_option("--lr", v->lr, "peak learning rate")->default_val(v->lr);
  addTrainingComputeOptions(vae, *vCompute, false);
  vae->callback([v, vCompute] {
    if (startTrainingCommand(v->run, *vCompute)) return;
    const auto r = trainShapeVae(*v);
    char iou[64];
    std::snprintf(iou, sizeof iou, ": held-out IoU %.3f", r.heldOutIoU);
    reportTrainingRun(r.interrupted ? "" : iou, v->run, r.interrupted, r.stepsDone, r.seconds);
  });

  auto l = std::make_shared<ShapeLdmTrainOptions>();
  auto lCompute = std::make_shared<TrainingCompute>();
  CLI::App* ldm = train->add_subcommand("shape-ldm", "train the triplane latent diffusion model on a trained shape VAE");
  ldm->add_option("--vae", l->vaePath, "trained shape VAE checkpoint")->required();
  ldm->add_option("--data", l->dataDir, "shape dataset folder")->required();
  addTrainingRunOptions(ldm, l->run, "output checkpoint (VAE + LDM)");
  ldm->add_option("--preset", l->preset, "small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  ldm->add_option("--batch", l->batch, "latents per step")->default_val(l->batch);
  ldm->add_option("--lr", l->lr, "peak learning rate")->default_val(l->lr);
  addTrainingComputeOptions(ldm, *lCompute, false);
  ldm->callback([l, lCompute] {
    if (startTrainingCommand(l->run, *lCompute)) return;
    const auto r = trainShapeLdm(*l);
    reportTrainingRun("", l->run, r.interrupted, r.stepsDone, r.seconds);
  });
}

}  // namespace fieldscope
