#pragma once
// The super-resolution autoencoder and implicit neural decoder (docs/architecture.md "The
// super-resolution domain"; DESIGN §5.2). encode(): an image (H x W, multiples of downFactor) ->
// a deterministic latent at H/4 x W/4. features(): the decoder without its upsampling layers ->
// a feature map at latent resolution. render(): the LIIF head reads that map at any output
// resolution and for any region. Built from local residual blocks (local_res_block.h): a tile
// of an image encodes and decodes to the same numbers as the image does there, given a margin.
#include <torch/nn.h>

#include "model/sr/liif_head.h"
#include "model/sr/local_res_block.h"
#include "model/sr/sr_ae_config.h"

namespace fieldscope {

class SrEncoderImpl : public torch::nn::Module {
 public:
  explicit SrEncoderImpl(const SrAeConfig& c);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d convIn{nullptr}, down{nullptr}, convOut{nullptr};
  torch::nn::Sequential body{nullptr};
  ChannelNorm normOut{nullptr};
};
TORCH_MODULE(SrEncoder);

class SrFeatureDecoderImpl : public torch::nn::Module {
 public:
  explicit SrFeatureDecoderImpl(const SrAeConfig& c);
  torch::Tensor forward(const torch::Tensor& z);

 private:
  torch::nn::Conv2d convIn{nullptr}, convOut{nullptr};
  torch::nn::Sequential body{nullptr};
  ChannelNorm normOut{nullptr};
};
TORCH_MODULE(SrFeatureDecoder);

// Queries per LIIF call: bounds the head's intermediate tensors (4 shifts x width floats each).
// 2^14 keeps them (4 MB a tensor at width 64) near the cache: decoding a 256² latent to 1024²
// took 2.5 s instead of 3.0 s with 2^16 (bench/model/model_sr_bench.cpp, 2 threads).
inline constexpr int64_t kSrQueryChunk = int64_t(1) << 14;

class SrAutoencoderImpl : public torch::nn::Module {
 public:
  explicit SrAutoencoderImpl(const SrAeConfig& c);
  const SrAeConfig& config() const { return config_; }

  // images N x 3 x H x W in [-1, 1], H and W multiples of config().downFactor().
  torch::Tensor encode(const torch::Tensor& images) { return encoder->forward(images); }
  torch::Tensor features(const torch::Tensor& z) { return decoder->forward(z); }
  // The pixel-centre grid of the region [x0, x1] x [y0, y1] (in [-1, 1] over the feature map's
  // extent) at W x H pixels -> N x 3 x H x W in [-1, 1] (not clamped). Differentiable. `input` is
  // what was encoded (N x 3 x H' x W' over the same extent): with config().residual the head's
  // output is added to it, read bilinearly at the same points.
  torch::Tensor render(const torch::Tensor& feat, const torch::Tensor& input, double x0, double y0, double x1, double y1,
                       int64_t W, int64_t H);
  // The whole extent at W x H.
  torch::Tensor render(const torch::Tensor& feat, const torch::Tensor& input, int64_t W, int64_t H) {
    return render(feat, input, -1, -1, 1, 1, W, H);
  }

  SrEncoder encoder{nullptr};
  SrFeatureDecoder decoder{nullptr};
  LiifHead head{nullptr};

 private:
  SrAeConfig config_;
};
TORCH_MODULE(SrAutoencoder);

// Where the model's weights are (the CPU, or the CUDA device `upscale --device` moved it to).
inline torch::Device srDevice(const SrAutoencoder& ae) {
  const auto params = ae->parameters();
  return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

// The pixel centres of a W x H grid over [x0, x1] x [y0, y1]: H*W x 2 (x, y), row-major.
torch::Tensor pixelCentreGrid(double x0, double y0, double x1, double y1, int64_t W, int64_t H,
                              const torch::TensorOptions& options);

}  // namespace fieldscope
