#pragma once
// Fourier features of NeRF (DESIGN §5.1 "NeRF"): x -> [x, sin(2^k pi x), cos(2^k pi x)] for
// k = 0 .. frequencies-1, on the last dimension (3 -> 3 + 6 frequencies).
#include <torch/types.h>

namespace fieldscope {

torch::Tensor fourierFeatures(const torch::Tensor& x, int frequencies);

}  // namespace fieldscope
