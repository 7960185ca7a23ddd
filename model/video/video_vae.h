#pragma once
// The video VAE (docs/architecture.md "The video domain"): clip -> VideoEncoder -> rolled latent
// (xy | xt | yt planes one under the other) -> VideoDecoder -> three levels of rolled basis fields
// -> VideoReadout -> RGB at any (x, y, t). Sizes: video_vae_config.h.
#include <torch/nn.h>

#include <vector>

#include "model/nn/blocks.h"
#include "model/nn/posterior.h"
#include "model/video/video_readout.h"
#include "model/video/video_vae_config.h"

namespace fieldscope {

// Clips N x T x 3 x S x S in [-1, 1] -> posterior over the rolled latent N x Cz x rows x width.
class VideoEncoderImpl : public torch::nn::Module {
 public:
  explicit VideoEncoderImpl(const VideoVaeConfig& c);
  Posterior forward(const torch::Tensor& clips);

 private:
  torch::nn::Conv2d frameIn{nullptr}, convOut{nullptr};
  Downsample planeDown{nullptr};
  ResBlock frameRes{nullptr}, planeRes{nullptr}, mid{nullptr};
  torch::nn::Conv3d temporal{nullptr};  // along time only (kernel 3 x 1 x 1)
  AttentionBlock attention{nullptr};    // over all three planes' cells at once
  torch::nn::GroupNorm normOut{nullptr};
};
TORCH_MODULE(VideoEncoder);

// Rolled latent N x Cz x rows x width -> fields at x1, x2, x4 (N x F x rows 2^k x width 2^k).
class VideoDecoderImpl : public torch::nn::Module {
 public:
  explicit VideoDecoderImpl(const VideoVaeConfig& c);
  VideoFields forward(const torch::Tensor& latent);

 private:
  VideoVaeConfig config_;
  torch::nn::Conv2d convIn{nullptr};
  ResBlock mid1{nullptr}, mid2{nullptr};
  AttentionBlock attention{nullptr};
  std::vector<ResBlock> levels_;
  std::vector<Upsample> ups_;
  std::vector<torch::nn::GroupNorm> headNorms_;
  std::vector<torch::nn::Conv2d> heads_;
};
TORCH_MODULE(VideoDecoder);

class VideoVaeImpl : public torch::nn::Module {
 public:
  explicit VideoVaeImpl(const VideoVaeConfig& c);
  const VideoVaeConfig& config() const { return config_; }

  Posterior encode(const torch::Tensor& clips) { return encoder->forward(clips); }
  VideoFields decodeFields(const torch::Tensor& latent) { return decoder->forward(latent); }
  torch::Tensor colours(const VideoFields& fields, const torch::Tensor& unitPoints) {
    return readout->forward(fields, unitPoints);
  }

  VideoEncoder encoder{nullptr};
  VideoDecoder decoder{nullptr};
  VideoReadout readout{nullptr};

 private:
  VideoVaeConfig config_;
};
TORCH_MODULE(VideoVae);

// One clip's fields out of a batch (levels F x R_k x W_k).
VideoFields videoFieldsOf(const VideoFields& batch, int64_t index);

}  // namespace fieldscope
