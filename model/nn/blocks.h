#pragma once
// Convolutional building blocks shared by the image VAE and the diffusion UNet (ADM / LDM style):
// GroupNorm + SiLU residual blocks (optionally conditioned on a time embedding), single-head
// self-attention, stride-2 downsampling and nearest-neighbour upsampling.
#include <torch/nn.h>

namespace fieldscope {

// A GroupNorm whose group count divides `channels` (32 when possible, fewer for narrow layers).
torch::nn::GroupNorm groupNorm(int64_t channels);

// Runs a GroupNorm in its parameters' dtype (fp32 in a half-precision network: the statistics of
// fp16 activations are taken in fp32, see half_precision.h) and returns x's dtype.
torch::Tensor normIn(torch::nn::GroupNorm& norm, const torch::Tensor& x);

class ResBlockImpl : public torch::nn::Module {
 public:
  // timeDim == 0: no time conditioning.
  ResBlockImpl(int64_t in, int64_t out, int64_t timeDim = 0);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb = {});

 private:
  torch::nn::GroupNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, skip{nullptr};
  torch::nn::Linear timeProj{nullptr};
};
TORCH_MODULE(ResBlock);

class AttentionBlockImpl : public torch::nn::Module {
 public:
  AttentionBlockImpl(int64_t channels, int64_t heads = 1);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int64_t heads_;
  torch::nn::GroupNorm norm{nullptr};
  torch::nn::Conv2d qkv{nullptr}, proj{nullptr};
};
TORCH_MODULE(AttentionBlock);

class DownsampleImpl : public torch::nn::Module {
 public:
  explicit DownsampleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Downsample);

class UpsampleImpl : public torch::nn::Module {
 public:
  explicit UpsampleImpl(int64_t channels, int64_t out = -1);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Upsample);

torch::nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride = 1);
torch::nn::Conv2d conv1x1(int64_t in, int64_t out);

}  // namespace fieldscope
