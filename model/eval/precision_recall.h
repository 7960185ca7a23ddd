#pragma once
// Improved precision and recall (Kynkäänniemi et al. 2019) between real and generated feature
// sets: each set's manifold is the union of balls around its vectors, each ball reaching the
// vector's k-th nearest neighbour in its own set. Precision = the share of generated vectors
// inside the real manifold (are samples realistic?); recall = the share of real vectors inside
// the generated manifold (do samples cover the data?).
#include <torch/types.h>

namespace fieldscope {

struct PrecisionRecall {
  double precision = 0, recall = 0;
};

// real: N x D, generated: M x D, k < min(N, M).
PrecisionRecall precisionRecall(const torch::Tensor& real, const torch::Tensor& generated, int k = 3);

}  // namespace fieldscope
