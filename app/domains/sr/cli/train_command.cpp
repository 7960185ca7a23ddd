// fieldscope train sr-ae | sr-ldm | sr-align (docs/architecture.md "The super-resolution domain", "Training")
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/train_compute.h"
#include "app/cli/train_flags.h"
#include "app/domains/sr/cli/sr_commands.h"
#include "model/train/sr_ae_trainer.h"
#include "model/train/sr_align_trainer.h"
#include "model/train/sr_ldm_trainer.h"

namespace fieldscope {

void registerSrTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");

  auto a = std::make_shared<SrAeTrainOptions>();
  auto compute = std::make_shared<TrainingCompute>();
  CLI::App* ae = train->add_subcommand(
      "sr-ae", "train the super-resolution autoencoder and implicit neural decoder (photo -> latent -> colour at any scale)");
  ae->add_option("--data", a->dataDir, "photo crop folder (from `fieldscope data photos`)")->required();
  ae->add_option("--preset", a->preset, "small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  addTrainingRunOptions(ae, a->run, "output checkpoint (.fsm)");
  ae->add_option("--batch", a->batch, "crops per step")->default_val(a->batch)->check(CLI::Range(1, 4096));
  ae->add_option("--lr", a->lr, "peak learning rate")->default_val(a->lr);
  ae->add_option("--loss", a->loss, "l1 (the authors') or l2 (what PSNR measures)")->default_val(a->loss)->check(CLI::IsMember({"l1", "l2"}));
  ae->add_option("--decoder-blocks", a->decoderBlocks, "decoder residual blocks a level (default: the preset's)")
      ->check(CLI::Range(1, 16));
  ae->add_option("--init-from", a->initFrom,
                 "start from this trained SR model (the same sizes, or fewer decoder blocks: the added ones start as the identity)")
      ->check(CLI::ExistingFile);
  addTrainingComputeOptions(ae, *compute, true);
  ae->callback([a, compute] {
    if (startTrainingCommand(a->run, *compute)) return;
    const auto r = trainSrAutoencoder(*a);
    std::string what;
    for (const SrScaleScore& s : r.heldOut.scales) {
      if (s.scale != 4.0) continue;
      char line[128];
      std::snprintf(line, sizeof line, ": held-out x4 decoder %.2f dB vs bicubic %.2f dB", s.decoderPsnr, s.bicubicPsnr);
      what = line;
    }
    reportTrainingRun(r.interrupted ? "" : what, a->run, r.interrupted, r.stepsDone, r.seconds);
  });

  auto l = std::make_shared<SrLdmTrainOptions>();
  CLI::App* ldm = train->add_subcommand(
      "sr-ldm", "train the super-resolution diffusion stage: a UNet conditioned on the encoded low-resolution picture");
  ldm->add_option("--vae", l->vaePath, "the trained SR autoencoder (from `train sr-ae`)")->required()->check(CLI::ExistingFile);
  ldm->add_option("--data", l->dataDir, "photo crop folder (from `fieldscope data photos`)")->required();
  ldm->add_option("--preset", l->preset, "UNet size: small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  addTrainingRunOptions(ldm, l->run, "output model (.fsm): the autoencoder and the diffusion stage");
  ldm->add_option("--batch", l->batch, "latents per step")->default_val(l->batch)->check(CLI::Range(1, 4096));
  ldm->add_option("--lr", l->lr, "peak learning rate")->default_val(l->lr);
  ldm->add_option("--pool", l->pool, "training pairs (window, scale) whose target latents are found before training")
      ->default_val(l->pool)->check(CLI::Range(1, 1000000));
  ldm->add_option("--invert-steps", l->inversion.steps, "gradient steps that find each target latent")
      ->default_val(l->inversion.steps)->check(CLI::Range(0, 10000));
  ldm->add_option("--unet-channels", l->unetChannels, "the UNet's base width (default: the preset's)")
      ->default_val(l->unetChannels)->check(CLI::Range(0, 1024));
  ldm->add_option("--invert-step-size", l->inversion.stepSize, "RMS move per inversion step, in units of the latents' std")
      ->default_val(l->inversion.stepSize)->check(CLI::Range(0.0, 10.0));
  ldm->add_option("--window", l->window, "training window side in pixels (a multiple of 16; default: the autoencoder's crop)")
      ->default_val(l->window)->check(CLI::Range(0, 1024));
  addTrainingComputeOptions(ldm, *compute, true);
  ldm->callback([l, compute] {
    if (startTrainingCommand(l->run, *compute)) return;
    const auto r = trainSrLdm(*l);
    char what[128];
    std::snprintf(what, sizeof what, ": target latents decode to %.2f dB (decoder alone %.2f dB)", r.inversionPsnrAfter,
                  r.inversionPsnrBefore);
    reportTrainingRun(r.interrupted ? "" : what, l->run, r.interrupted, r.stepsDone, r.seconds);
  });

  auto g = std::make_shared<SrAlignTrainOptions>();
  CLI::App* align = train->add_subcommand(
      "sr-align", "fine-tune an sr-ldm model's UNet through the frozen decoder: an image loss on the decoded predicted "
                  "latent beside the denoising loss (the second training stage)");
  align->add_option("--model", g->modelPath, "the sr-ldm model to align (from `train sr-ldm`)")->required()->check(CLI::ExistingFile);
  align->add_option("--data", g->dataDir, "photo crop folder (from `fieldscope data photos`)")->required();
  addTrainingRunOptions(align, g->run, "output model (.fsm): the autoencoder and the aligned diffusion stage");
  align->add_option("--batch", g->batch, "windows per step")->default_val(g->batch)->check(CLI::Range(1, 4096));
  align->add_option("--lr", g->lr, "peak learning rate")->default_val(g->lr);
  align->add_option("--pool", g->pool, "training pairs (window, scale) whose target latents are found before training")
      ->default_val(g->pool)->check(CLI::Range(1, 1000000));
  align->add_option("--window", g->window, "window side in pixels (default: the sr-ldm training's)")
      ->default_val(g->window)->check(CLI::Range(0, 1024));
  align->add_option("--image-weight", g->imageWeight, "weight of the image MSE (pixels in [-1, 1]) beside the denoising loss")
      ->default_val(g->imageWeight)->check(CLI::Range(0.0, 1e9));
  align->add_option("--snr-cap", g->snrCap, "the image loss is weighted by min(SNR, this)")
      ->default_val(g->snrCap)->check(CLI::Range(0.0, 1e6));
  align->add_option("--invert-steps", g->inversion.steps, "gradient steps that find each target latent")
      ->default_val(g->inversion.steps)->check(CLI::Range(0, 10000));
  align->add_option("--invert-step-size", g->inversion.stepSize, "RMS move per inversion step, in units of the latents' std")
      ->default_val(g->inversion.stepSize)->check(CLI::Range(0.0, 10.0));
  addTrainingComputeOptions(align, *compute, false);
  align->callback([g, compute] {
    if (startTrainingCommand(g->run, *compute)) return;
    const auto r = trainSrAlign(*g);
    char what[128];
    std::snprintf(what, sizeof what, ": the pairs decoded from the predicted latent %.2f dB (before %.2f dB)",
                  r.x0PsnrAfter, r.x0PsnrBefore);
    reportTrainingRun(r.interrupted ? "" : what, g->run, r.interrupted, r.stepsDone, r.seconds);
  });
}

}  // namespace fieldscope
