#pragma once
// Reading a NeRF triplane (docs/architecture.md "The NeRF domain"): planes (3, C, R, R) -- xy, xz,
// yz, each indexed [row = second axis][column = first axis] -- sampled bilinearly at points
// (P, 3) inside [-bound, bound]^3 (clamped at the border), the three features concatenated:
// (P, 3C).
#include <torch/types.h>

namespace fieldscope {

torch::Tensor sampleTriplane(const torch::Tensor& planes, const torch::Tensor& points, double bound);

}  // namespace fieldscope
