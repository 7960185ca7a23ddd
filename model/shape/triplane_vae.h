#pragma once
// The triplane VAE of the shape model (docs/architecture.md "Models"; DESIGN §5.1 "Shape"). The three
// planes go through one set of conv weights (folded into the batch); at the lowest resolution the
// planes are rolled out side by side (N x C x r x 3r) so that one attention block sees all three
// (cross-plane attention) -- the same roll-out the triplane diffusion UNet works on.
#include <torch/nn.h>

#include <vector>

#include "model/nn/blocks.h"
#include "model/nn/posterior.h"
#include "model/shape/occupancy_decoder.h"
#include "model/shape/shape_vae_config.h"

namespace fieldscope {

// N x 3 x C x r x r <-> N x C x r x 3r (xy | xz | yz side by side).
torch::Tensor rollOut(const torch::Tensor& planes);
torch::Tensor rollIn(const torch::Tensor& rolled);

// Feature planes (N x 3 x Cp x R x R) -> posterior over the latent (N x 3 x Cz x r x r).
class TriplaneEncoderImpl : public torch::nn::Module {
 public:
  explicit TriplaneEncoderImpl(const ShapeVaeConfig& c);
  Posterior forward(const torch::Tensor& planes);

 private:
  torch::nn::Conv2d convIn{nullptr}, convOut{nullptr};
  std::vector<ResBlock> res_;
  std::vector<Downsample> downs_;
  ResBlock mid{nullptr};
  AttentionBlock crossPlane{nullptr};
  torch::nn::GroupNorm normOut{nullptr};
};
TORCH_MODULE(TriplaneEncoder);

// Latent (N x 3 x Cz x r x r) -> basis fields at r, 2r, 4r per plane (levels N x 3 x Cf x r_k x r_k).
class TriplaneDecoderImpl : public torch::nn::Module {
 public:
  explicit TriplaneDecoderImpl(const ShapeVaeConfig& c);
  TriplaneFields forward(const torch::Tensor& latent);

 private:
  torch::nn::Conv2d convIn{nullptr};
  ResBlock mid1{nullptr}, mid2{nullptr};
  AttentionBlock crossPlane{nullptr};
  std::vector<ResBlock> levels_;  // after each upsampling
  std::vector<Upsample> ups_;
  std::vector<torch::nn::GroupNorm> headNorms_;
  std::vector<torch::nn::Conv2d> heads_;  // coarse, middle, fine
};
TORCH_MODULE(TriplaneDecoder);

}  // namespace fieldscope
