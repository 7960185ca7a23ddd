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
// torch threads for a command: `threads`, or every core this process may use when 0
// (usableCores: affinity and cgroup quota). With OpenBLAS single-threaded (blas_threads.h) this
// measured fastest on 2 cores (bench/results/thread_defaults.json).
void setTorchThreads(int threads);
// The viewer worker's torch threads: `tiles` for tiles and other jobs, `exact` for the readout of
// a resting view's exact view. FIELDSCOPE_THREADS=N sets both (fromEnv); else 1 and every usable core.
struct ViewerThreads {
  int tiles = 1, exact = 1;
  bool fromEnv = false;
};
ViewerThreads viewerThreads();
// The thread choice in words, for --version and info: torch's threads and BLAS's.
std::string threadChoiceText();

}  // namespace fieldscope
