// fieldscope train image-vae | image-ldm
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/train_compute.h"
#include "app/cli/train_flags.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/train/image_ldm_trainer.h"
#include "model/train/image_vae_trainer.h"

namespace fieldscope {

void registerImageTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");

  auto v = std::make_shared<ImageVaeTrainOptions>();
  auto vCompute = std::make_shared<TrainingCompute>();
  CLI::App* vae = train->add_subcommand("image-vae", "train the image D2C-VAE (basis fields + CFC readout)");
  vae->add_option("--data", v->dataDir, "folder of PNG/JPEG images")->required();
  vae->add_option("--preset", v->preset, "small | ddmi-small (the authors' structure at CPU sizes) | paper (their AFHQ VAE, block for block)")->default_val("small")->check(CLI::IsMember({"small", "ddmi-small", "paper", "tiny"}));
  addTrainingRunOptions(vae, v->run, "output checkpoint (.fsm)");
  vae->add_option("--batch", v->batch, "images per step")->default_val(16);
  vae->add_option("--lr", v->lr, "peak learning rate")->default_val(1e-3);
  vae->add_option("--readout-layers", v->readoutLayers,
                  "modulated layers in each readout block (default: the preset's; the authors' 3 cost ~2.5x the decode time of 1)")
      ->default_val(0)->check(CLI::Range(0, 8));
  vae->add_flag("--freeze-encoder", v->freezeEncoder, "train only the decoder and readout (keeps the latent space of an LDM)");
  addTrainingComputeOptions(vae, *vCompute, true);
  vae->callback([v, vCompute] {
    if (startTrainingCommand(v->run, *vCompute)) return;
    const auto r = trainImageVae(*v);
    char psnr[64];
    std::snprintf(psnr, sizeof psnr, ": held-out PSNR %.2f dB", r.heldOutPsnr);
    reportTrainingRun(psnr, v->run, r.interrupted, r.stepsDone, r.seconds);
  });

  auto l = std::make_shared<ImageLdmTrainOptions>();
  auto lCompute = std::make_shared<TrainingCompute>();
  CLI::App* ldm = train->add_subcommand("image-ldm", "train the latent diffusion model on a trained image VAE");
  ldm->add_option("--vae", l->vaePath, "trained VAE checkpoint")->required();
  ldm->add_option("--data", l->dataDir, "folder of PNG/JPEG images")->required();
  addTrainingRunOptions(ldm, l->run, "output checkpoint (VAE + LDM)");
  ldm->add_option("--preset", l->preset, "small | paper")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  ldm->add_option("--batch", l->batch, "latents per step")->default_val(32);
  ldm->add_option("--lr", l->lr, "peak learning rate")->default_val(5e-4);
  ldm->add_option("--classes", l->classes,
                  "emoji-groups | emoji-subgroups: a class-conditional model of the Unicode emoji groups or of their "
                  "subgroups (classifier-free guidance; the data must be a `fieldscope data emoji` set)")
      ->check(CLI::IsMember({"emoji-groups", "emoji-subgroups"}));
  ldm->add_option("--label-dropout", l->labelDropout, "share of labels dropped to 'no class' while training")
      ->default_val(0.1)->check(CLI::Range(0.0, 0.99));
  ldm->add_option("--default-guidance", l->defaultGuidance, "guidance scale the file's users start with")
      ->default_val(2.0)->check(CLI::Range(0.0, 20.0));
  ldm->add_option("--init-from", l->initFrom,
                  "start the UNet from this model file's diffusion weights (a class embedding it lacks starts at zero; "
                  "a subgroup's row starts from its group's; with a larger --unet-blocks the added blocks start as the identity)")
      ->check(CLI::ExistingFile);
  ldm->add_option("--unet-channels", l->unetChannels, "the UNet's base width (default: the preset's)")
      ->default_val(l->unetChannels)->check(CLI::Range(0, 1024));
  ldm->add_option("--unet-blocks", l->unetBlocks, "the UNet's residual blocks a level (default: the preset's)")
      ->default_val(l->unetBlocks)->check(CLI::Range(0, 8));
  ldm->add_option("--ema-decay", l->emaDecay,
                  "decay of the EMA weights the file samples with (0.9999 for a long fine-tune)")
      ->default_val(l->emaDecay)->check(CLI::Range(0.9, 0.99999));
  ldm->add_option("--loss-weighting", l->lossWeighting,
                  "how each item's noise loss is weighted by its timestep: uniform, min-snr:G (Min-SNR-gamma) or p2:K,G "
                  "(perception-prioritized)")
      ->default_val(l->lossWeighting);
  ldm->add_option("--latent-scale", l->latentScale,
                  "auto (unit variance for this project's UNet, unscaled for the authors' as they train) | unit | none")
      ->default_val(l->latentScale)->check(CLI::IsMember({"auto", "unit", "none"}));
  ldm->add_option("--gate-start", l->gateStart,
                  "the authors' UNet (a ddmi VAE): the mixing gate's starting logit (theirs: -6, the prior's eps; "
                  "+6: the network's from the start)")
      ->check(CLI::Range(-20.0, 20.0));
  ldm->add_option("--font", l->font, "colour emoji font of the set (for --classes)")->default_val(l->font.string());
  addTrainingComputeOptions(ldm, *lCompute, true);
  ldm->callback([l, lCompute] {
    if (startTrainingCommand(l->run, *lCompute)) return;
    const auto r = trainImageLdm(*l);
    reportTrainingRun("", l->run, r.interrupted, r.stepsDone, r.seconds);
  });
}

}  // namespace fieldscope
