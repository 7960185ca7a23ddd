#include "app/cli/train_flags.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "app/cli/worker_launcher.h"

namespace fieldscope {

void parseRendezvous(const std::string& v, DistributedOptions& d);

void addTrainingRunOptions(CLI::App* cmd, TrainingRunOptions& run, const std::string& outHelp) {
  cmd->add_option("-o,--out", run.out, outHelp)->required();
  cmd->add_option("--steps", run.steps, "training steps")->default_val(run.steps);
  cmd->add_option("--seed", run.seed, "random seed (the run is deterministic for it)")->default_val(0);
  cmd->add_option("--checkpoint-every", run.checkpointEvery, "steps between checkpoints")->default_val(run.checkpointEvery);
  cmd->add_flag("--resume", run.resume, "continue from <out>.train");
  cmd->add_option("--stop-at", run.stopAt, "stop at this step, saving as on Ctrl-C (to split a long run)");
  cmd->add_option("--log", run.log, "loss log CSV (default <out>.loss.csv)");
  // Data-parallel training (docs/training.md). Unset rank and world (-1) are settled by
  // launchedTrainingJob from the environment, as torchrun's workers are.
  run.dist.rank = -1;
  run.dist.world = -1;
  run.dist.port = -1;
  cmd->add_option("--nproc", run.dist.localProcesses, "data-parallel: launch this many worker processes on this machine")
      ->check(CLI::Range(1, 1024))
      ->group("Data-parallel training");
  cmd->add_option_function<std::string>(
         "--rdzv", [&run](const std::string& v) { parseRendezvous(v, run.dist); },
         "data-parallel: the job's rendezvous HOST:PORT (rank 0's machine; env MASTER_ADDR, MASTER_PORT)")
      ->group("Data-parallel training");
  cmd->add_option("--rank", run.dist.rank, "data-parallel: this process's rank (with --nproc: the first of this machine's; env RANK)")
      ->check(CLI::NonNegativeNumber)
      ->group("Data-parallel training");
  cmd->add_option("--world", run.dist.world, "data-parallel: processes in the whole job (env WORLD_SIZE)")
      ->check(CLI::PositiveNumber)
      ->group("Data-parallel training");
  cmd->add_option("--dist-timeout", run.dist.timeoutSeconds,
                  "data-parallel: seconds a rank waits for the others before the job ends naming them")
      ->default_val(run.dist.timeoutSeconds)
      ->check(CLI::PositiveNumber)
      ->group("Data-parallel training");
}

void parseRendezvous(const std::string& v, DistributedOptions& d) {
  const auto colon = v.rfind(':');
  char* end = nullptr;
  const long port = colon == std::string::npos ? -1 : std::strtol(v.c_str() + colon + 1, &end, 10);
  if (colon == 0 || colon == std::string::npos || !end || *end || port <= 0 || port > 65535)
    throw CLI::ValidationError("--rdzv", "'" + v + "' is not HOST:PORT");
  d.host = v.substr(0, colon);
  d.port = static_cast<int>(port);
}

namespace {

int envInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long x = std::strtol(v, &end, 10);
  if (*end || x < 0 || x > 1 << 20) throw std::runtime_error(std::string("the environment's ") + name + "='" + v + "' is not a number");
  return static_cast<int>(x);
}

// This command line without the launcher's own flags: what each worker runs.
std::vector<std::string> workerArguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  std::vector<std::string> args;
  for (size_t at = 0; at < all.size();) {
    const size_t end = all.find('\0', at);
    args.push_back(all.substr(at, end - at));
    at = end == std::string::npos ? all.size() : end + 1;
  }
  std::vector<std::string> kept;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool dropped = false;
    for (const char* flag : {"--nproc", "--rdzv", "--rank", "--world"}) {
      if (a == flag) {
        ++i;  // and its value
        dropped = true;
      } else if (a.rfind(std::string(flag) + "=", 0) == 0) {
        dropped = true;
      }
    }
    if (!dropped) kept.push_back(a);
  }
  return kept;
}

}  // namespace

bool launchedTrainingJob(TrainingRunOptions& run) {
  DistributedOptions& d = run.dist;
  if (d.rank < 0) d.rank = envInt("RANK", 0);
  if (d.world < 0) d.world = envInt("WORLD_SIZE", -1);
  if (const char* a = std::getenv("MASTER_ADDR"); a && *a && d.port < 0) d.host = a;
  if (d.port < 0) d.port = envInt("MASTER_PORT", -1);
  d.localRank = envInt("LOCAL_RANK", 0);
  if (d.localProcesses > 1) {
    if (d.world < 0) {  // a job on this machine alone
      d.world = d.localProcesses;
      if (d.port < 0) d.port = freeLocalPort();
    }
    if (d.port < 0) throw std::runtime_error("--nproc with --world needs the job's rendezvous: --rdzv HOST:PORT");
    if (d.rank + d.localProcesses > d.world)
      throw std::runtime_error("--nproc " + std::to_string(d.localProcesses) + " from rank " + std::to_string(d.rank) +
                               " does not fit in a job of --world " + std::to_string(d.world));
    launchTrainingWorkers(d, workerArguments());
    return true;
  }
  if (d.world < 0) d.world = 1;
  if (d.world > 1) {
    if (d.port < 0) throw std::runtime_error("a rank of a job of " + std::to_string(d.world) + " needs the job's rendezvous: --rdzv HOST:PORT (or MASTER_ADDR and MASTER_PORT)");
    if (d.rank >= d.world)
      throw std::runtime_error("rank " + std::to_string(d.rank) + " is not a rank of a job of " + std::to_string(d.world));
    if (d.rank != 0) run.quiet = true;  // rank 0 speaks for the job
  } else {
    d.rank = 0;
  }
  return false;
}

void reportTrainingRun(const std::string& what, const TrainingRunOptions& run, bool interrupted, int64_t steps,
                       double seconds) {
  if (run.dist.rank > 0) return;  // rank 0 reports for a job
  std::printf("%s after %lld steps (%.0f s)%s; wrote %s\n", interrupted ? "interrupted" : "finished",
              static_cast<long long>(steps), seconds, what.c_str(), run.out.c_str());
  if (interrupted) std::printf("resume with the same command and --resume\n");
}

}  // namespace fieldscope
