#pragma once
// The image D2C-VAE (docs/architecture.md "Models"): a convolutional encoder to a Gaussian latent, a decoder
// that taps three basis fields (HDBF) at three scales, and the CFC readout that turns the fields
// into colour at any continuous coordinate and render scale.
#include <torch/nn.h>

#include <utility>

#include "model/image/cfc_readout.h"
#include "model/image/image_fields.h"
#include "model/image/image_vae_parts.h"
#include "model/image/image_vae_config.h"
#include "model/nn/blocks.h"
#include "model/nn/posterior.h"

namespace fieldscope {

class ImageEncoderImpl : public ImageEncoderBase {
 public:
  explicit ImageEncoderImpl(const ImageVaeConfig& c);
  Posterior forward(const torch::Tensor& x) override;

 private:
  int64_t patch_;
  torch::nn::Conv2d convIn{nullptr}, convOut{nullptr};
  std::vector<std::vector<ResBlock>> levels_;
  std::vector<Downsample> downs_;
  ResBlock mid1{nullptr}, mid2{nullptr};
  AttentionBlock midAttn{nullptr};
  torch::nn::GroupNorm normOut{nullptr};
};
TORCH_MODULE(ImageEncoder);

// Mirror of the encoder; taps the coarse field after the lowest level, the middle field after
// the next level up, and the fine field from the output conv (pixel-shuffled to full resolution).
class ImageDecoderImpl : public ImageDecoderBase {
 public:
  explicit ImageDecoderImpl(const ImageVaeConfig& c);
  ImageFields forward(const torch::Tensor& z) override;

 private:
  int64_t patch_;
  torch::nn::Conv2d convIn{nullptr}, headCoarse{nullptr}, headMiddle{nullptr}, convOut{nullptr};
  ResBlock mid1{nullptr}, mid2{nullptr};
  AttentionBlock midAttn{nullptr};
  std::vector<std::vector<ResBlock>> levels_;  // lowest level first
  std::vector<Upsample> ups_;                  // after levels_[i], i < levels-1
  torch::nn::GroupNorm normOut{nullptr};
};
TORCH_MODULE(ImageDecoder);

// The render scale of a region drawn at W x H pixels: si = train_res / (pixels per image side).
std::pair<double, double> renderScale(const ImageVaeConfig& c, double x0, double y0, double x1, double y1, int64_t W,
                                      int64_t H);

class ImageVaeImpl : public torch::nn::Module {
 public:
  explicit ImageVaeImpl(const ImageVaeConfig& c);
  const ImageVaeConfig& config() const { return config_; }

  Posterior encode(const torch::Tensor& images) { return encoder->forward(images); }
  ImageFields decodeFields(const torch::Tensor& z) { return decoder->forward(z); }

  // The CFC weights for a render scale (clamped to [minScale, 1] when the config clamps).
  FoldedCfc foldScale(double sx, double sy);

  // Arbitrary points: coords N x P x 2 in image coordinates -> N x P x 3 (grid_sample path).
  torch::Tensor decode(const ImageFields& fields, const torch::Tensor& coords, double scale);

  // The pixel-centre grid of region [x0,x1] x [y0,y1] at W x H -> N x 3 x H x W float. Not chunked:
  // for training and tests (differentiable); the viewer path is decodeRegionRgba8 (region_decoder.h).
  torch::Tensor renderRegion(ImageFields& fields, double x0, double y0, double x1, double y1, int64_t W, int64_t H);

  // This project's wiring (above) or the authors' (config().ddmi(): ddmi_autoencoder.h, ddmi_readout.h).
  std::shared_ptr<ImageEncoderBase> encoder;
  std::shared_ptr<ImageDecoderBase> decoder;
  std::shared_ptr<ImageReadoutBase> readout;

 private:
  ImageVaeConfig config_;
};
TORCH_MODULE(ImageVae);

}  // namespace fieldscope
