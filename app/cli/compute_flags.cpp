#include "app/cli/compute_flags.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "model/util/blas_threads.h"
#include "model/util/cpu_gemm.h"
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

ViewerThreads viewerThreads() {
  const char* env = std::getenv("FIELDSCOPE_THREADS");
  if (env && std::atoi(env) > 0) return {std::atoi(env), std::atoi(env), true};
  return {1, usableCores(), false};
}

namespace {
std::string viewerThreadsText() {
  const ViewerThreads t = viewerThreads();
  if (t.fromEnv) return std::to_string(t.tiles) + " for tiles and exact views (FIELDSCOPE_THREADS)";
  return std::to_string(t.tiles) + " for tiles, " + std::to_string(t.exact) +
         " for the exact view of a resting view (FIELDSCOPE_THREADS sets both)";
}
}  // namespace

std::string threadChoiceText() {
  const int cores = usableCores();
  return "threads: torch " + std::to_string(cores) + " (the " + std::to_string(cores) +
         (cores == 1 ? " core" : " cores") + " this process may use; --threads N changes it), " + blasThreadsText() +
         ", readout GEMMs " + cpuGemmText() + "; the viewer's worker " + viewerThreadsText();
}

}  // namespace fieldscope
