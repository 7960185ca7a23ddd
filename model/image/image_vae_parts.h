#pragma once
// The three parts of an image VAE as interfaces, so that one ImageVae holds either this project's
// wiring (image_vae.h, cfc_readout.h) or the authors' modules block for block (ddmi_autoencoder.h,
// ddmi_readout.h; docs/architecture.md "The faithful DDMI architecture"). Everything downstream —
// training, the region decoder, the viewer — sees only these.
#include <torch/nn/module.h>

#include "model/image/folded_cfc.h"
#include "model/image/image_fields.h"
#include "model/nn/posterior.h"

namespace fieldscope {

class ImageEncoderBase : public torch::nn::Module {
 public:
  virtual Posterior forward(const torch::Tensor& images) = 0;  // images N x 3 x R x R in [-1, 1]
};

class ImageDecoderBase : public torch::nn::Module {
 public:
  virtual ImageFields forward(const torch::Tensor& z) = 0;  // z N x latent x h x w
};

class ImageReadoutBase : public torch::nn::Module {
 public:
  // The readout for one render scale as a chain of GEMMs (sx, sy: si, already clamped when the
  // model clamps). Differentiable.
  virtual FoldedCfc fold(double sx, double sy) = 0;
};

}  // namespace fieldscope
