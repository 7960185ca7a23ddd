#include "app/version.h"

#include <torch/version.h>

namespace fieldscope {
std::string versionText() {
  return std::string("fieldscope 0.1.0 (LibTorch ") + TORCH_VERSION + ", CPU host-mapped SharedTensor backend)";
}
}  // namespace fieldscope
