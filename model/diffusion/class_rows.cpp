#include "model/diffusion/class_rows.h"

#include <stdexcept>

namespace fieldscope {

torch::Tensor classEmbeddingRows(const torch::Tensor& labels, int64_t numClasses, const torch::Tensor& x,
                                 const std::string& who) {
  const int64_t none = numClasses;
  const auto opts = torch::dtype(torch::kInt64).device(x.device());
  if (!labels.defined()) return torch::full({x.size(0)}, none, opts);
  auto idx = labels.to(x.device(), torch::kInt64);
  if (idx.dim() != 1 || idx.size(0) != x.size(0))
    throw std::invalid_argument(who + ": one class label per sample expected");
  if (idx.numel() > 0 && idx.max().item<int64_t>() > none) throw std::invalid_argument(who + ": class label out of range");
  return torch::where(idx < 0, torch::full_like(idx, none), idx);
}

}  // namespace fieldscope
