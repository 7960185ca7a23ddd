#include "app/version.h"

#include <torch/cuda.h>
#include <torch/version.h>

#include "app/cli/compute_flags.h"

namespace fieldscope {
std::string versionText() {
  std::string s = std::string("fieldscope 0.1.0 (LibTorch ") + TORCH_VERSION;
  const auto n = torch::cuda::device_count();
  s += n > 0 ? ", " + std::to_string(n) + " CUDA device(s) for torch)" : ", torch runs on the CPU: no CUDA)";
  return s + "\n" + threadChoiceText();
}
std::string torchVersion() { return TORCH_VERSION; }
}  // namespace fieldscope
