#pragma once
// The CFC MLP (coarse-to-fine conditioning, docs/architecture.md "Models"): per point, block 1 reads the coarse
// field, each next block concatenates the next finer field, then a last block and an RGB layer.
// Every layer also gets the two scale channels (si_x, si_y) and is a StyleGAN2-style modulated,
// weight-demodulated linear layer whose style is an embedding of si.
//
// si is constant for one render (or one training batch), so `fold(si)` turns the modulation and the
// si channels into plain weights and biases once; `apply` is then a chain of GEMMs.
#include <torch/nn.h>

#include <vector>

namespace fieldscope {

struct FoldedCfc {
  struct Layer {
    torch::Tensor weightT;  // in x out (transposed for addmm)
    torch::Tensor bias;     // out
    int64_t fieldIndex;     // -1: no field input; else the field concatenated after h
  };
  std::vector<Layer> layers;  // the last one is the RGB layer (no activation)
  // The same weights in another dtype (e.g. fp16 for a half-precision readout); no-op copies when equal.
  FoldedCfc to(torch::ScalarType dtype) const;
};

class CfcReadoutImpl : public torch::nn::Module {
 public:
  CfcReadoutImpl(int64_t fieldChannels, int64_t width, int64_t layersPerBlock, int64_t styleDim);

  // sx, sy: the scale inputs (already clamped to the trained range). Differentiable.
  FoldedCfc fold(double sx, double sy);

  // features[k]: P x C samples of field k (coarse, middle, fine), in the folded weights' dtype.
  // Returns P x 3 (RGB in [-1,1]).
  static torch::Tensor apply(const FoldedCfc& folded, const torch::Tensor* features);

 private:
  struct Spec {
    int64_t hIn, fieldIndex, out;
    bool demodulate;
  };
  std::vector<Spec> specs_;
  int64_t fieldChannels_;
  torch::nn::Sequential style_{nullptr};
  std::vector<torch::Tensor> weights_, biases_;
  std::vector<torch::nn::Linear> affines_;
};
TORCH_MODULE(CfcReadout);

}  // namespace fieldscope
