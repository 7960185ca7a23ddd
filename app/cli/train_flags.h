#pragma once
// What every `fieldscope train <what>` command shares (docs/architecture.md "Commands"): the flags
// of the one training loop, the thread count and the closing line.
#include <cstdint>
#include <string>

#include "model/train/training_loop.h"

namespace CLI { class App; }

namespace fieldscope {

// -o/--out, --steps, --seed, --checkpoint-every, --resume, --stop-at, --log, and the
// data-parallel flags --nproc, --rdzv, --rank, --world, --dist-timeout (docs/training.md).
void addTrainingRunOptions(CLI::App* cmd, TrainingRunOptions& run, const std::string& outHelp);
// Every train command's callback starts with it. Settles run.dist from the flags and torchrun's
// environment (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK). With --nproc N > 1 this
// process launches the N workers, waits for them and returns true (the command is done; a failed
// job throws); otherwise it returns false and this process trains (as one rank of a job when
// the world is larger than 1; ranks other than 0 are quiet).
bool launchedTrainingJob(TrainingRunOptions& run);
// "finished after N steps (T s)<what>; wrote OUT" (+ how to resume when interrupted).
void reportTrainingRun(const std::string& what, const TrainingRunOptions& run, bool interrupted, int64_t steps,
                       double seconds);

}  // namespace fieldscope
