#pragma once
// The authors' image VAE (DDMI's `Autoencoder` with its HDBF decoder; DESIGN.md §5.1, docs/architecture.md
// "The faithful DDMI architecture"), module for module and under their parameter names:
//   encoder: conv_in, down.i.block.j (num_res_blocks a level), down.i.downsample, mid.{block_1, attn_1,
//            block_2}, norm_out, conv_out (2 x z_channels), then quant_conv (1x1 to 2 x latent);
//   decoder: post_quant_conv (1x1 latent -> z_channels), conv_in, mid, up.i.block.j (num_res_blocks + 1 a
//            level: one more than the encoder), up.i.hdbf.0 (1x1 to a basis field) at the two lowest
//            levels, up.i.upsample (i > 0), norm_out, conv_out (the finest field).
// The authors keep quant_conv and post_quant_conv beside encoder and decoder; here they live inside
// them (ddmi_import.cpp maps the names).
#include <vector>

#include "model/image/ddmi_blocks.h"
#include "model/image/image_vae_config.h"
#include "model/image/image_vae_parts.h"

namespace fieldscope {

class DdmiEncoderImpl : public ImageEncoderBase {
 public:
  explicit DdmiEncoderImpl(const ImageVaeConfig& c);
  Posterior forward(const torch::Tensor& images) override;

 private:
  torch::nn::Conv2d convIn{nullptr}, convOut{nullptr}, quantConv{nullptr};
  std::vector<std::vector<DdmiResnetBlock>> levels_;
  std::vector<DdmiDownsample> downs_;  // after levels_[i], i < levels - 1
  DdmiResnetBlock mid1{nullptr}, mid2{nullptr};
  DdmiAttnBlock midAttn{nullptr};
  torch::nn::GroupNorm normOut{nullptr};
};

class DdmiDecoderImpl : public ImageDecoderBase {
 public:
  explicit DdmiDecoderImpl(const ImageVaeConfig& c);
  ImageFields forward(const torch::Tensor& z) override;

 private:
  torch::nn::Conv2d postQuantConv{nullptr}, convIn{nullptr}, convOut{nullptr};
  DdmiResnetBlock mid1{nullptr}, mid2{nullptr};
  DdmiAttnBlock midAttn{nullptr};
  std::vector<std::vector<DdmiResnetBlock>> levels_;  // index = the authors' level (0 = finest)
  std::vector<torch::nn::Conv2d> hdbf_;               // per level; null where the level has no field tap
  std::vector<DdmiUpsample> ups_;                     // per level; null at level 0
  torch::nn::GroupNorm normOut{nullptr};
};

}  // namespace fieldscope
