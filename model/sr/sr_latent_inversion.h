#pragma once
// The training targets of the SR diffusion stage (docs/architecture.md "The super-resolution
// domain", sr_diffusion.h): for a high-resolution crop and a low-resolution version of it, the
// latent that makes the (frozen) implicit decoder reproduce the crop on top of the bicubic
// upsampling. Found by (normalised) gradient descent from the decoder-only latent (the encoding of the
// bicubic upsampling), with a small pull back towards it so the targets stay in the region of
// latents the decoder was trained on.
#include <torch/types.h>

#include <cstdint>
#include <functional>

#include "model/sr/sr_autoencoder.h"

namespace fieldscope {

struct LatentInversion {
  int steps = 40;
  double stepSize = 0.05;  // RMS move per step, in units of the decoder-only latents' std
  double pull = 1e-3;      // weight of mean((z - cond)^2) / var(cond) next to the image MSE
};

struct InvertedLatents {
  torch::Tensor cond;    // N x C x h x w: encode(up)
  torch::Tensor target;  // N x C x h x w: the inverted latents
  double psnrBefore = 0, psnrAfter = 0;  // of the decoded crops (unclamped) against hr (whole batch)
};

// hr: N x 3 x S x S in [-1, 1]; up: the bicubic upsampling of its low-resolution version, same size.
InvertedLatents invertSrLatents(SrAutoencoder& ae, const torch::Tensor& hr, const torch::Tensor& up,
                                const LatentInversion& opt);

}  // namespace fieldscope
