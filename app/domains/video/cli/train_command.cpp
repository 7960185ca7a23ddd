// fieldscope train video-vae | video-ldm
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/train_compute.h"
#include "app/cli/train_flags.h"
#include "app/domains/video/cli/video_commands.h"
#include "model/train/video_ldm_trainer.h"
#include "model/train/video_vae_trainer.h"

namespace fieldscope {

void registerVideoTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");

  auto v = std::make_shared<VideoVaeTrainOptions>();
  auto vCompute = std::make_shared<TrainingCompute>();
  CLI::App* vae = train->add_subcommand("video-vae", "train the video VAE (clip -> triplane latent -> colour at any x, y, t)");
  vae->add_option("--data", v->dataDir, "clip data set folder (from `fieldscope data clips`)")->required();
  vae->add_option("--preset", v->preset, "small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  addTrainingRunOptions(vae, v->run, "output checkpoint (.fsm)");
  vae->add_option("--batch", v->batch, "clips per step")->default_val(v->batch);
  vae->add_option("--lr", v->lr, "peak learning rate")->default_val(v->lr);
  vae->add_option("--frame-stride", v->frameStride,
                  "2: train on the even frames only and score the field's in-between frames against the true ones")
      ->default_val(1)->check(CLI::Range(1, 8));
  addTrainingComputeOptions(vae, *vCompute, false);
  vae->callback([v, vCompute] {
    if (startTrainingCommand(v->run, *vCompute)) return;
    const auto r = trainVideoVae(*v);
    char psnr[64];
    std::snprintf(psnr, sizeof psnr, ": held-out PSNR %.2f dB", r.heldOutPsnr);
    reportTrainingRun(r.interrupted ? "" : psnr, v->run, r.interrupted, r.stepsDone, r.seconds);
  });

  auto l = std::make_shared<VideoLdmTrainOptions>();
  auto lCompute = std::make_shared<TrainingCompute>();
  CLI::App* ldm = train->add_subcommand("video-ldm", "train the latent diffusion model on a trained video VAE");
  ldm->add_option("--vae", l->vaePath, "trained video VAE checkpoint")->required();
  ldm->add_option("--data", l->dataDir, "clip data set folder")->required();
  addTrainingRunOptions(ldm, l->run, "output checkpoint (VAE + LDM)");
  ldm->add_option("--preset", l->preset, "small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  ldm->add_option("--batch", l->batch, "latents per step")->default_val(l->batch);
  ldm->add_option("--lr", l->lr, "peak learning rate")->default_val(l->lr);
  addTrainingComputeOptions(ldm, *lCompute, false);
  ldm->callback([l, lCompute] {
    if (startTrainingCommand(l->run, *lCompute)) return;
    const auto r = trainVideoLdm(*l);
    reportTrainingRun("", l->run, r.interrupted, r.stepsDone, r.seconds);
  });
}

}  // namespace fieldscope
