#include "app/cli/compute_flags.h"

#include <CLI/CLI.hpp>

namespace fieldscope {

void addComputeFlags(CLI::App& command, ComputeFlags& flags) {
  command.add_option("--device", flags.device, "cpu, cuda or cuda:N")->default_val("cpu");
  command.add_option("--precision", flags.precision, "auto (fp16 on CUDA, fp32 on the CPU), fp32 or fp16")
      ->default_val("auto");
}

}  // namespace fieldscope
