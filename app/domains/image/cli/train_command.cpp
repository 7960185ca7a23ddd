// fieldscope train image-vae | image-ldm
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/compute_flags.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/train_flags.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/train/image_ldm_trainer.h"
#include "model/train/image_vae_trainer.h"

namespace fieldscope {

void registerImageTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");

  auto v = std::make_shared<ImageVaeTrainOptions>();
  auto vThreads = std::make_shared<int>(0);
  CLI::App* vae = train->add_subcommand("image-vae", "train the image D2C-VAE (basis fields + CFC readout)");
  vae->add_option("--data", v->dataDir, "folder of PNG/JPEG images")->required();
  vae->add_option("--preset", v->preset, "small | ddmi-small (the authors' structure at CPU sizes) | paper (their AFHQ VAE, block for block)")->default_val("small")->check(CLI::IsMember({"small", "ddmi-small", "paper", "tiny"}));
  addTrainingRunOptions(vae, v->run, "output checkpoint (.fsm)");
  vae->add_option("--batch", v->batch, "images per step")->default_val(16);
  vae->add_option("--lr", v->lr, "peak learning rate")->default_val(1e-3);
  vae->add_flag("--freeze-encoder", v->freezeEncoder, "train only the decoder and readout (keeps the latent space of an LDM)");
  vae->add_option("--threads", *vThreads, "torch threads (default: all cores)");
  vae->callback([v, vThreads] {
    setTorchThreads(*vThreads);
    v->run.commandLine = currentCommandLine();
    if (launchedTrainingJob(v->run)) return;
    const auto r = trainImageVae(*v);
    char psnr[64];
    std::snprintf(psnr, sizeof psnr, ": held-out PSNR %.2f dB", r.heldOutPsnr);
    reportTrainingRun(psnr, v->run, r.interrupted, r.stepsDone, r.seconds);
  });

  auto l = std::make_shared<ImageLdmTrainOptions>();
  auto lThreads = std::make_shared<int>(0);
  CLI::App* ldm = train->add_subcommand("image-ldm", "train the latent diffusion model on a trained image VAE");
  ldm->add_option("--vae", l->vaePath, "trained VAE checkpoint")->required();
  ldm->add_option("--data", l->dataDir, "folder of PNG/JPEG images")->required();
  addTrainingRunOptions(ldm, l->run, "output checkpoint (VAE + LDM)");
  ldm->add_option("--preset", l->preset, "small | paper")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  ldm->add_option("--batch", l->batch, "latents per step")->default_val(32);
  ldm->add_option("--lr", l->lr, "peak learning rate")->default_val(5e-4);
  ldm->add_option("--threads", *lThreads, "torch threads (default: all cores)");
  ldm->callback([l, lThreads] {
    setTorchThreads(*lThreads);
    l->run.commandLine = currentCommandLine();
    if (launchedTrainingJob(l->run)) return;
    const auto r = trainImageLdm(*l);
    reportTrainingRun("", l->run, r.interrupted, r.stepsDone, r.seconds);
  });
}

}  // namespace fieldscope
