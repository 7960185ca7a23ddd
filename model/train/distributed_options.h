#pragma once
// Where one process of a data-parallel training job stands (docs/training.md): its rank, the job's
// size and the rendezvous every rank meets at. The defaults are a run alone. The CLI fills it from
// --nproc / --rdzv / --rank / --world or from torchrun's MASTER_ADDR, MASTER_PORT, RANK,
// WORLD_SIZE and LOCAL_RANK (app/cli/train_flags.h); model/train/process_group.h joins it.
#include <string>

namespace fieldscope {

struct DistributedOptions {
  int rank = 0;       // this process, 0..world-1; rank 0 hosts the rendezvous, writes files and logs
  int world = 1;      // processes in the job; 1 = not distributed
  int localRank = 0;  // this process on its machine (one GPU per local rank on CUDA)
  std::string host = "127.0.0.1";  // the rendezvous (rank 0's TCP store)
  int port = 29500;
  // How long a collective (an all-reduce of gradients, the rendezvous) may wait for the slowest
  // rank before the job ends naming the ranks it waited for.
  double timeoutSeconds = 300;
  int localProcesses = 1;  // --nproc: processes the CLI launches on this machine (app/cli/worker_launcher.h)

  bool distributed() const { return world > 1; }
};

}  // namespace fieldscope
