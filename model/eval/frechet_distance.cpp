#include "model/eval/frechet_distance.h"

#include <torch/torch.h>

#include <stdexcept>

namespace fieldscope {

namespace {

torch::Tensor covariance(const torch::Tensor& x, const torch::Tensor& mean) {
  const torch::Tensor c = x - mean;
  return c.t().matmul(c) / static_cast<double>(x.size(0) - 1);
}

// The square root of a symmetric positive semi-definite matrix.
torch::Tensor sqrtSymmetric(const torch::Tensor& m) {
  const auto [values, vectors] = at::linalg_eigh((m + m.t()) * 0.5, "L");  // torch::linalg:: is not in LibTorch 2's torch.h
  return vectors.matmul(torch::diag(values.clamp_min(0).sqrt())).matmul(vectors.t());
}

}  // namespace

double frechetDistance(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(1))
    throw std::invalid_argument("frechetDistance: two N x D feature sets of the same D are needed");
  if (a.size(0) < 2 || b.size(0) < 2) throw std::invalid_argument("frechetDistance: a set needs at least 2 vectors");
  const torch::Tensor x = a.to(torch::kFloat64), y = b.to(torch::kFloat64);
  const torch::Tensor mx = x.mean(0), my = y.mean(0);
  const torch::Tensor sx = covariance(x, mx), sy = covariance(y, my);
  const torch::Tensor rx = sqrtSymmetric(sx);
  const torch::Tensor cross = sqrtSymmetric(rx.matmul(sy).matmul(rx));
  const double fd = (mx - my).pow(2).sum().item<double>() + sx.trace().item<double>() + sy.trace().item<double>() -
                    2.0 * cross.trace().item<double>();
  return std::max(0.0, fd);
}

}  // namespace fieldscope
