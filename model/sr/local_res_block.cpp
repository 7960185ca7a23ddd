#include "model/sr/local_res_block.h"

#include <torch/torch.h>

#include "model/nn/blocks.h"

namespace fieldscope {
namespace F = torch::nn::functional;

ChannelNormImpl::ChannelNormImpl(int64_t channels) {
  weight_ = register_parameter("weight", torch::ones({channels}));
  bias_ = register_parameter("bias", torch::zeros({channels}));
}

torch::Tensor ChannelNormImpl::forward(const torch::Tensor& x) {
  const auto mean = x.mean(1, true);
  const auto var = (x - mean).pow(2).mean(1, true);
  return (x - mean) * torch::rsqrt(var + 1e-6) * weight_.view({1, -1, 1, 1}) + bias_.view({1, -1, 1, 1});
}

LocalResBlockImpl::LocalResBlockImpl(int64_t in, int64_t out) {
  norm1 = register_module("norm1", ChannelNorm(in));
  conv1 = register_module("conv1", conv3x3(in, out));
  norm2 = register_module("norm2", ChannelNorm(out));
  conv2 = register_module("conv2", conv3x3(out, out));
  if (in != out) skip = register_module("skip", conv1x1(in, out));
  torch::NoGradGuard g;
  conv2->weight.mul_(0.1);  // start near the identity
}

torch::Tensor LocalResBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor h = conv1(F::silu(norm1(x)));
  h = conv2(F::silu(norm2(h)));
  return (skip ? skip(x) : x) + h;
}

}  // namespace fieldscope
