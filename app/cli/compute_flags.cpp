#include "app/cli/compute_flags.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "model/util/blas_threads.h"
#include "model/util/cpu_count.h"

namespace fieldscope {

void addComputeFlags(CLI::App& command, ComputeFlags& flags) {
  command.add_option("--device", flags.device, "cpu, cuda or cuda:N")->default_val("cpu");
  command.add_option("--precision", flags.precision, "auto (fp16 on CUDA, fp32 on the CPU), fp32 or fp16")
      ->default_val("auto");
}

void setTorchThreads(int threads) {
  torch::set_num_threads(threads > 0 ? threads : usableCores());
}

namespace {
// PyramidView's choice: tiles on 1 thread, a resting view's exact decode on every usable core,
// unless FIELDSCOPE_THREADS sets both.
std::string viewerThreadsText(int cores) {
  const char* env = std::getenv("FIELDSCOPE_THREADS");
  if (env && std::atoi(env) > 0) return std::string(env) + " for tiles and exact views (FIELDSCOPE_THREADS)";
  return "1 for tiles, " + std::to_string(cores) + " for the exact view of a resting view (FIELDSCOPE_THREADS sets both)";
}
}  // namespace

std::string threadChoiceText() {
  const int cores = usableCores();
  return "threads: torch " + std::to_string(cores) + " (the " + std::to_string(cores) +
         (cores == 1 ? " core" : " cores") + " this process may use; --threads N changes it), " + blasThreadsText() +
         "; the viewer's worker " + viewerThreadsText(cores);
}

}  // namespace fieldscope
