#pragma once
// `fieldscope train ... --nproc N` (docs/training.md): this process becomes the job's launcher. It
// starts N copies of the same command, each told its rank the way torchrun tells its workers
// (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT), waits for them and ends the whole
// job as soon as one fails: it names the rank and the cause (its exit status or signal), stops the
// others (SIGTERM, then SIGKILL after a grace period) and fails. Ctrl-C / SIGTERM of the launcher
// reach every worker once, as the single-process run takes them.
#include <string>
#include <vector>

#include "model/train/distributed_options.h"

namespace fieldscope {

// Ranks `o.rank` .. `o.rank + o.localProcesses - 1` of a job of `o.world` at o.host:o.port, each
// running `argv` (the command line with the launcher's own flags removed). Returns when every
// worker has exited 0; throws std::runtime_error naming the first rank that failed otherwise.
void launchTrainingWorkers(const DistributedOptions& o, const std::vector<std::string>& argv);

// A TCP port free on this machine now, for a local job's rendezvous.
int freeLocalPort();

}  // namespace fieldscope
