#include "app/cli/compute_flags.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <thread>

namespace fieldscope {

void addComputeFlags(CLI::App& command, ComputeFlags& flags) {
  command.add_option("--device", flags.device, "cpu, cuda or cuda:N")->default_val("cpu");
  command.add_option("--precision", flags.precision, "auto (fp16 on CUDA, fp32 on the CPU), fp32 or fp16")
      ->default_val("auto");
}

void setTorchThreads(int threads) {
  torch::set_num_threads(threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace fieldscope
