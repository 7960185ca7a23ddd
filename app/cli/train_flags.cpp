#include "app/cli/train_flags.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

namespace fieldscope {

void addTrainingRunOptions(CLI::App* cmd, TrainingRunOptions& run, const std::string& outHelp) {
  cmd->add_option("-o,--out", run.out, outHelp)->required();
  cmd->add_option("--steps", run.steps, "training steps")->default_val(run.steps);
  cmd->add_option("--seed", run.seed, "random seed (the run is deterministic for it)")->default_val(0);
  cmd->add_option("--checkpoint-every", run.checkpointEvery, "steps between checkpoints")->default_val(run.checkpointEvery);
  cmd->add_flag("--resume", run.resume, "continue from <out>.train");
  cmd->add_option("--stop-at", run.stopAt, "stop at this step, saving as on Ctrl-C (to split a long run)");
  cmd->add_option("--log", run.log, "loss log CSV (default <out>.loss.csv)");
}

void reportTrainingRun(const std::string& what, const TrainingRunOptions& run, bool interrupted, int64_t steps,
                       double seconds) {
  std::printf("%s after %lld steps (%.0f s)%s; wrote %s\n", interrupted ? "interrupted" : "finished",
              static_cast<long long>(steps), seconds, what.c_str(), run.out.c_str());
  if (interrupted) std::printf("resume with the same command and --resume\n");
}

}  // namespace fieldscope
