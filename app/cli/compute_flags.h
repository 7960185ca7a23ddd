#pragma once
// --device cpu|cuda[:N] and --precision auto|fp32|fp16 for the model commands (parsed by
// parseComputeOptions when the command runs, so a CUDA request fails with its message, exit 1).
#include <string>

namespace CLI { class App; }

namespace fieldscope {

struct ComputeFlags {
  std::string device = "cpu", precision = "auto";
};

void addComputeFlags(CLI::App& command, ComputeFlags& flags);
// torch threads for a command: `threads`, or every core when 0.
void setTorchThreads(int threads);

}  // namespace fieldscope
