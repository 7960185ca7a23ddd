#pragma once
// The authors' scale-aware readout (DDMI's image `MLP`; DESIGN.md §5.1, docs/architecture.md "The
// faithful DDMI architecture") under their parameter names:
//   time_mlp.{1,3}: si -> sinusoidal embedding (width/4, transformer frequencies) -> Linear -> GELU -> Linear
//                   = the style of every layer;
//   net_res1..3:    styled residual blocks reading [h, field k, si, si] (the coarse, middle, fine field;
//                   the two si channels only here), net_res4: width -> width;
//   each block:     conv1..3 = modulated 1x1 convs (weight-demodulated), each with noise injection and a
//                   leaky ReLU of gain sqrt(2); output (out + skip) / sqrt(2), skip a 1x1 equalized conv
//                   where the width changes (`layers_per_block` < 3: conv1..L only, a stored switch of
//                   the CPU preset ddmi-small that cuts the decode's GEMMs; the authors' files have 3);
//   torgb:          a modulated 1x1 conv without demodulation, plus a bias.
// fold(si) turns all of it into FoldedCfc's GEMM chain (gains folded into the weights, since a leaky
// ReLU commutes with a positive factor). The noise injection is rendered at its expected value 0: a
// continuous field gives the same colour at a point whatever the tile or zoom it is drawn at.
#include <vector>

#include "model/image/image_vae_parts.h"

namespace fieldscope {

class DdmiReadoutImpl : public ImageReadoutBase {
 public:
  DdmiReadoutImpl(int64_t fieldChannels, int64_t width, int64_t layersPerBlock = 3);
  FoldedCfc fold(double sx, double sy) override;

  // The style vector the layers are modulated with at scale si (width).
  torch::Tensor style(double si);

 private:
  struct StyledConv {
    torch::Tensor weight, modWeight, modBias, noise, bias;  // the authors' conv.weight, conv.modulation.*, ...
  };
  struct Block {
    std::vector<StyledConv> convs;  // layers_per_block of them
    torch::Tensor skip;  // undefined: identity
    int64_t fieldIndex;  // -1: no field input
  };
  StyledConv makeConv(torch::nn::Module& parent, const std::string& name, int64_t in, int64_t out, bool activation);

  int64_t fieldChannels_, width_;
  torch::nn::Linear styleIn{nullptr}, styleOut{nullptr};
  std::vector<Block> blocks_;
  StyledConv toRgb_;
};

}  // namespace fieldscope
