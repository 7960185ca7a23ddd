#include "model/image/folded_cfc.h"

#include <torch/torch.h>

#include <stdexcept>

namespace fieldscope {

namespace {
torch::Tensor toOrUndefined(const torch::Tensor& t, torch::ScalarType dtype) { return t.defined() ? t.to(dtype) : t; }
}  // namespace

FoldedCfc FoldedCfc::to(torch::ScalarType dtype) const {
  FoldedCfc out;
  for (const auto& L : layers) {
    Layer c = L;
    c.weightT = L.weightT.to(dtype);
    c.bias = L.bias.to(dtype);
    c.skipWeightT = toOrUndefined(L.skipWeightT, dtype);
    c.skipBias = toOrUndefined(L.skipBias, dtype);
    out.layers.push_back(std::move(c));
  }
  return out;
}

torch::Tensor FoldedCfc::apply(const torch::Tensor* features) const {
  torch::Tensor h, skip;
  const size_t n = layers.size();
  for (size_t i = 0; i < n; ++i) {
    const auto& L = layers[i];
    torch::Tensor x = L.fieldIndex < 0 ? h : (h.defined() ? torch::cat({h, features[L.fieldIndex]}, 1) : features[L.fieldIndex]);
    if (L.opensBlock) skip = L.skipWeightT.defined() ? torch::addmm(L.skipBias, x, L.skipWeightT) : x * L.skipScale;
    h = torch::addmm(L.bias, x, L.weightT);
    if (i + 1 < n) h = torch::leaky_relu(h, 0.2);
    if (L.closesBlock) {
      if (!skip.defined()) throw std::logic_error("folded readout: a block closes that was never opened");
      h = h + skip;
      skip = torch::Tensor();
    }
  }
  return h;
}

}  // namespace fieldscope
