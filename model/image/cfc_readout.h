#pragma once
// The CFC MLP (coarse-to-fine conditioning, docs/architecture.md "Models"): per point, block 1 reads the coarse
// field, each next block concatenates the next finer field, then a last block and an RGB layer.
// Every layer also gets the two scale channels (si_x, si_y) and is a StyleGAN2-style modulated,
// weight-demodulated linear layer whose style is an embedding of si.
//
// si is constant for one render (or one training batch), so `fold(si)` turns the modulation and the
// si channels into plain weights and biases once (folded_cfc.h); the readout is then a chain of GEMMs.
// This project's wiring; the authors' residual blocks are ddmi_readout.h.
#include <torch/nn.h>

#include <vector>

#include "model/image/image_vae_parts.h"

namespace fieldscope {

class CfcReadoutImpl : public ImageReadoutBase {
 public:
  CfcReadoutImpl(int64_t fieldChannels, int64_t width, int64_t layersPerBlock, int64_t styleDim);

  // sx, sy: the scale inputs (already clamped to the trained range). Differentiable.
  FoldedCfc fold(double sx, double sy) override;

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
