#pragma once
// A residual block whose output at a pixel depends only on its neighbourhood: the norm is taken
// over the channels of each pixel (a LayerNorm per location), not over the whole image as
// GroupNorm does. That makes the super-resolution autoencoder translation-equivariant, so an
// image processed in overlapping tiles equals the image processed whole (docs/architecture.md
// "The super-resolution domain": the one deliberate departure from the authors' GroupNorm).
#include <torch/nn.h>

namespace fieldscope {

// LayerNorm over the channel axis of an N x C x H x W tensor, with a per-channel affine.
class ChannelNormImpl : public torch::nn::Module {
 public:
  explicit ChannelNormImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::Tensor weight_, bias_;
};
TORCH_MODULE(ChannelNorm);

class LocalResBlockImpl : public torch::nn::Module {
 public:
  LocalResBlockImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  ChannelNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, skip{nullptr};
};
TORCH_MODULE(LocalResBlock);

}  // namespace fieldscope
