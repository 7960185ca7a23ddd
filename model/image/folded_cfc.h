#pragma once
// The readout of an image VAE folded for one render scale (docs/architecture.md "Models"): a chain
// of linear layers whose modulation, demodulation, scale channels and activation gains have been
// turned into plain weights and biases once. Per point the readout is then GEMMs only.
//
// Layer i reads h (the previous layer's output) and, when fieldIndex >= 0, the field sample
// concatenated after h. All but the last layer end with a leaky ReLU (slope 0.2). Residual blocks
// (the authors' StyledResBlock, ddmi_readout.h): a layer that opens a block keeps its input x as the
// block's skip — x @ skipWeightT + skipBias, or x * skipScale when skipWeightT is undefined — and
// the layer that closes the block adds the skip after its activation.
#include <torch/types.h>

#include <vector>

namespace fieldscope {

struct FoldedCfc {
  struct Layer {
    torch::Tensor weightT;  // in x out (transposed for addmm)
    torch::Tensor bias;     // out
    int64_t fieldIndex;     // -1: no field input; else the field concatenated after h
    bool opensBlock = false, closesBlock = false;
    torch::Tensor skipWeightT;  // opening layer: in x out, or undefined (identity skip)
    torch::Tensor skipBias;     // opening layer with skipWeightT: out
    double skipScale = 1.0;     // opening layer with an identity skip
  };
  std::vector<Layer> layers;  // the last one is the RGB layer (no activation)

  // The same weights in another dtype (e.g. fp16 for a half-precision readout); no-op copies when equal.
  FoldedCfc to(torch::ScalarType dtype) const;
  // features[k]: P x C samples of field k (coarse, middle, fine), in the weights' dtype. Returns
  // P x 3 (RGB in [-1, 1]). Differentiable.
  torch::Tensor apply(const torch::Tensor* features) const;
};

}  // namespace fieldscope
