#include "model/nn/half_precision.h"

#include <torch/torch.h>

namespace fieldscope {

void convertWeightsKeepingNorms(torch::nn::Module& module, torch::ScalarType dtype, const std::set<std::string>& keep) {
  torch::NoGradGuard ng;
  for (const auto& item : module.named_modules("", /*include_self=*/true)) {
    if (dynamic_cast<torch::nn::GroupNormImpl*>(item.value().get())) continue;
    const std::string prefix = item.key().empty() ? "" : item.key() + ".";
    for (auto& p : item.value()->named_parameters(/*recurse=*/false))
      if (!keep.count(prefix + p.key()) && p.value().is_floating_point()) p.value().set_data(p.value().to(dtype));
    for (auto& b : item.value()->named_buffers(/*recurse=*/false))
      if (!keep.count(prefix + b.key()) && b.value().is_floating_point()) b.value().set_data(b.value().to(dtype));
  }
}

}  // namespace fieldscope
