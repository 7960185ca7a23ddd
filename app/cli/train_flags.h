#pragma once
// What every `fieldscope train <what>` command shares (docs/architecture.md "Commands"): the flags
// of the one training loop, the thread count and the closing line.
#include <cstdint>
#include <string>

#include "model/train/training_loop.h"

namespace CLI { class App; }

namespace fieldscope {

// -o/--out, --steps, --seed, --checkpoint-every, --resume, --stop-at, --log.
void addTrainingRunOptions(CLI::App* cmd, TrainingRunOptions& run, const std::string& outHelp);
// "finished after N steps (T s)<what>; wrote OUT" (+ how to resume when interrupted).
void reportTrainingRun(const std::string& what, const TrainingRunOptions& run, bool interrupted, int64_t steps,
                       double seconds);

}  // namespace fieldscope
