#pragma once
// The torch side of a SharedTensor: a tensor aliasing the shared allocation (no copy).
#include <torch/types.h>

#include "cuda_interop/shared_tensor.h"

namespace fieldscope {
// The returned tensor does not own the memory: keep the SharedTensor alive while it is used.
torch::Tensor asTensor(const SharedTensor& shared);
}  // namespace fieldscope
