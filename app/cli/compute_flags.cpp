#include "app/cli/compute_flags.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
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

std::string threadChoiceText() {
  const int cores = usableCores();
  return "threads: torch " + std::to_string(cores) + " (the " + std::to_string(cores) +
         (cores == 1 ? " core" : " cores") + " this process may use; --threads N changes it), " + blasThreadsText() +
         "; the viewer's tile worker 1 (FIELDSCOPE_THREADS changes it)";
}

}  // namespace fieldscope
