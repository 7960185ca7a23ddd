// fieldscope train sr-ae (docs/architecture.md "The super-resolution domain", "Training")
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "app/cli/command_registry.h"
#include "app/cli/model_subcommands.h"
#include "app/cli/train_flags.h"
#include "app/domains/sr/cli/sr_commands.h"
#include "model/train/sr_ae_trainer.h"

namespace fieldscope {

void registerSrTrainCommands(CommandRegistry& registry) {
  CLI::App* train = registry.verb("train", "train a model");

  auto a = std::make_shared<SrAeTrainOptions>();
  auto threads = std::make_shared<int>(0);
  CLI::App* ae = train->add_subcommand(
      "sr-ae", "train the super-resolution autoencoder and implicit neural decoder (photo -> latent -> colour at any scale)");
  ae->add_option("--data", a->dataDir, "photo crop folder (from `fieldscope data photos`)")->required();
  ae->add_option("--preset", a->preset, "small | paper | tiny")->default_val("small")->check(CLI::IsMember({"small", "paper", "tiny"}));
  addTrainingRunOptions(ae, a->run, "output checkpoint (.fsm)");
  ae->add_option("--batch", a->batch, "crops per step")->default_val(a->batch)->check(CLI::Range(1, 4096));
  ae->add_option("--lr", a->lr, "peak learning rate")->default_val(a->lr);
  ae->add_option("--loss", a->loss, "l1 (the authors') or l2 (what PSNR measures)")->default_val(a->loss)->check(CLI::IsMember({"l1", "l2"}));
  ae->add_option("--threads", *threads, "torch threads (default: all cores)");
  ae->callback([a, threads] {
    setTorchThreads(*threads);
    a->run.commandLine = currentCommandLine();
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
}

}  // namespace fieldscope
