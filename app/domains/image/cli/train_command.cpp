// fieldscope train image-vae | image-ldm
#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/domains/image/cli/image_commands.h"
#include "model/train/image_ldm_trainer.h"
#include "model/train/image_vae_trainer.h"

namespace fieldscope {

namespace {
void setThreads(int threads) {
  torch::set_num_threads(threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency()));
}

// The flags of the shared training loop (model/train/training_loop.h), the same for every trainer.
void addRunOptions(CLI::App* cmd, TrainingRunOptions& run, const std::string& outHelp) {
  cmd->add_option("-o,--out", run.out, outHelp)->required();
  cmd->add_option("--steps", run.steps, "training steps")->default_val(run.steps);
  cmd->add_option("--seed", run.seed, "random seed (the run is deterministic for it)")->default_val(0);
  cmd->add_option("--checkpoint-every", run.checkpointEvery, "steps between checkpoints")->default_val(run.checkpointEvery);
  cmd->add_flag("--resume", run.resume, "continue from <out>.train");
  cmd->add_option("--stop-at", run.stopAt, "stop at this step, saving as on Ctrl-C (to split a long run)");
  cmd->add_option("--log", run.log, "loss log CSV (default <out>.loss.csv)");
}

void report(const char* what, const TrainingRunOptions& run, bool interrupted, int64_t steps, double seconds) {
  std::printf("%s after %lld steps (%.0f s)%s; wrote %s\n", interrupted ? "interrupted" : "finished",
              static_cast<long long>(steps), seconds, what, run.out.c_str());
  if (interrupted) std::printf("resume with the same command and --resume\n");
}
}  // namespace

void registerImageTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");

  auto v = std::make_shared<ImageVaeTrainOptions>();
  auto vThreads = std::make_shared<int>(0);
  CLI::App* vae = train->add_subcommand("image-vae", "train the image D2C-VAE (basis fields + CFC readout)");
  vae->add_option("--data", v->dataDir, "folder of PNG/JPEG images")->required();
  vae->add_option("--preset", v->preset, "small | paper")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  addRunOptions(vae, v->run, "output checkpoint (.fsm)");
  vae->add_option("--batch", v->batch, "images per step")->default_val(16);
  vae->add_option("--lr", v->lr, "peak learning rate")->default_val(1e-3);
  vae->add_flag("--freeze-encoder", v->freezeEncoder, "train only the decoder and readout (keeps the latent space of an LDM)");
  vae->add_option("--threads", *vThreads, "torch threads (default: all cores)");
  vae->callback([v, vThreads] {
    setThreads(*vThreads);
    v->run.commandLine = currentCommandLine();
    const auto r = trainImageVae(*v);
    char psnr[64];
    std::snprintf(psnr, sizeof psnr, ": held-out PSNR %.2f dB", r.heldOutPsnr);
    report(psnr, v->run, r.interrupted, r.stepsDone, r.seconds);
  });

  auto l = std::make_shared<ImageLdmTrainOptions>();
  auto lThreads = std::make_shared<int>(0);
  CLI::App* ldm = train->add_subcommand("image-ldm", "train the latent diffusion model on a trained image VAE");
  ldm->add_option("--vae", l->vaePath, "trained VAE checkpoint")->required();
  ldm->add_option("--data", l->dataDir, "folder of PNG/JPEG images")->required();
  addRunOptions(ldm, l->run, "output checkpoint (VAE + LDM)");
  ldm->add_option("--preset", l->preset, "small | paper")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  ldm->add_option("--batch", l->batch, "latents per step")->default_val(32);
  ldm->add_option("--lr", l->lr, "peak learning rate")->default_val(5e-4);
  ldm->add_option("--threads", *lThreads, "torch threads (default: all cores)");
  ldm->callback([l, lThreads] {
    setThreads(*lThreads);
    l->run.commandLine = currentCommandLine();
    const auto r = trainImageLdm(*l);
    report("", l->run, r.interrupted, r.stepsDone, r.seconds);
  });
}

}  // namespace fieldscope
