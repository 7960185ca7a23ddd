#pragma once
// The Fréchet distance between two sets of feature vectors (Heusel et al. 2017, as FID computes
// it): each set modelled by its mean and covariance,
//   FD = |mu_a - mu_b|² + tr(S_a + S_b - 2 (S_a^½ S_b S_a^½)^½),
// in float64, with the square roots from symmetric eigendecompositions (negative eigenvalues of
// rounding clamped to 0).
#include <torch/types.h>

namespace fieldscope {

// a: N x D, b: M x D (N, M >= 2). Throws std::invalid_argument on mismatched or too small sets.
double frechetDistance(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace fieldscope
