#include "model/eval/precision_recall.h"

#include <torch/torch.h>

#include <stdexcept>

namespace fieldscope {

namespace {

// Distance of each row of x to its k-th nearest other row (self excluded), in row chunks.
torch::Tensor kthNeighbourRadius(const torch::Tensor& x, int k) {
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < x.size(0); i += 1024) {
    const torch::Tensor rows = x.narrow(0, i, std::min<int64_t>(1024, x.size(0) - i));
    // the k+1 smallest: the row itself (distance 0) comes first
    parts.push_back(std::get<0>(torch::cdist(rows, x).topk(k + 1, 1, /*largest=*/false)).select(1, k));
  }
  return torch::cat(parts);
}

// The share of `queries` within radius[j] of some centres[j].
double coveredShare(const torch::Tensor& queries, const torch::Tensor& centres, const torch::Tensor& radius) {
  int64_t inside = 0;
  for (int64_t i = 0; i < queries.size(0); i += 1024) {
    const torch::Tensor q = queries.narrow(0, i, std::min<int64_t>(1024, queries.size(0) - i));
    inside += (torch::cdist(q, centres) <= radius.unsqueeze(0)).any(1).sum().item<int64_t>();
  }
  return static_cast<double>(inside) / static_cast<double>(queries.size(0));
}

}  // namespace

PrecisionRecall precisionRecall(const torch::Tensor& real, const torch::Tensor& generated, int k) {
  if (real.dim() != 2 || generated.dim() != 2 || real.size(1) != generated.size(1))
    throw std::invalid_argument("precisionRecall: two N x D feature sets of the same D are needed");
  if (k < 1 || real.size(0) <= k || generated.size(0) <= k)
    throw std::invalid_argument("precisionRecall: each set needs more than k vectors");
  const torch::Tensor r = real.to(torch::kFloat64), g = generated.to(torch::kFloat64);
  return {coveredShare(g, r, kthNeighbourRadius(r, k)), coveredShare(r, g, kthNeighbourRadius(g, k))};
}

}  // namespace fieldscope
