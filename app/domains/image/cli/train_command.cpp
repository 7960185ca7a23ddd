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
}  // namespace

void registerImageTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");

  auto v = std::make_shared<ImageVaeTrainOptions>();
  auto vThreads = std::make_shared<int>(0);
  CLI::App* vae = train->add_subcommand("image-vae", "train the image D2C-VAE (basis fields + CFC readout)");
  vae->add_option("--data", v->dataDir, "folder of PNG/JPEG images")->required();
  vae->add_option("--preset", v->preset, "small | paper")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  vae->add_option("-o,--out", v->out, "output checkpoint (.fsm)")->required();
  vae->add_option("--steps", v->steps, "training steps")->default_val(3000);
  vae->add_option("--batch", v->batch, "images per step")->default_val(16);
  vae->add_option("--lr", v->lr, "peak learning rate")->default_val(1e-3);
  vae->add_option("--seed", v->seed, "random seed (the run is deterministic for it)")->default_val(0);
  vae->add_option("--checkpoint-every", v->checkpointEvery, "steps between checkpoints")->default_val(200);
  vae->add_flag("--resume", v->resume, "continue from <out>.train");
  vae->add_flag("--freeze-encoder", v->freezeEncoder, "train only the decoder and readout (keeps the latent space of an LDM)");
  vae->add_option("--log", v->log, "loss log CSV (default <out>.loss.csv)");
  vae->add_option("--threads", *vThreads, "torch threads (default: all cores)");
  vae->callback([v, vThreads] {
    setThreads(*vThreads);
    v->commandLine = currentCommandLine();
    const auto r = trainImageVae(*v);
    std::printf("%s after %lld steps (%.0f s): held-out PSNR %.2f dB; wrote %s\n",
                r.interrupted ? "interrupted" : "finished", static_cast<long long>(r.stepsDone), r.seconds, r.heldOutPsnr,
                v->out.c_str());
    if (r.interrupted) std::printf("resume with the same command and --resume\n");
  });

  auto l = std::make_shared<ImageLdmTrainOptions>();
  auto lThreads = std::make_shared<int>(0);
  CLI::App* ldm = train->add_subcommand("image-ldm", "train the latent diffusion model on a trained image VAE");
  ldm->add_option("--vae", l->vaePath, "trained VAE checkpoint")->required();
  ldm->add_option("--data", l->dataDir, "folder of PNG/JPEG images")->required();
  ldm->add_option("-o,--out", l->out, "output checkpoint (VAE + LDM)")->required();
  ldm->add_option("--preset", l->preset, "small | paper")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  ldm->add_option("--steps", l->steps, "training steps")->default_val(4000);
  ldm->add_option("--batch", l->batch, "latents per step")->default_val(32);
  ldm->add_option("--lr", l->lr, "peak learning rate")->default_val(5e-4);
  ldm->add_option("--seed", l->seed, "random seed")->default_val(0);
  ldm->add_option("--checkpoint-every", l->checkpointEvery, "steps between checkpoints")->default_val(250);
  ldm->add_flag("--resume", l->resume, "continue from <out>.train");
  ldm->add_option("--log", l->log, "loss log CSV (default <out>.loss.csv)");
  ldm->add_option("--threads", *lThreads, "torch threads (default: all cores)");
  ldm->callback([l, lThreads] {
    setThreads(*lThreads);
    l->commandLine = currentCommandLine();
    const auto r = trainImageLdm(*l);
    std::printf("%s after %lld steps (%.0f s); wrote %s\n", r.interrupted ? "interrupted" : "finished",
                static_cast<long long>(r.stepsDone), r.seconds, l->out.c_str());
    if (r.interrupted) std::printf("resume with the same command and --resume\n");
  });
}

}  // namespace fieldscope
