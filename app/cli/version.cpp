#include "app/version.h"

#include <torch/version.h>

namespace fieldscope {
std::string versionText() {
  return std::string("fieldscope 0.1.0 (LibTorch ") + TORCH_VERSION + ", CPU host-mapped SharedTensor backend)";
}
std::string torchVersion() { return TORCH_VERSION; }
}  // namespace fieldscope
