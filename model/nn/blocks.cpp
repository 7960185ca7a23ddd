#include "model/nn/blocks.h"

#include <torch/torch.h>

#include <cmath>

namespace fieldscope {
namespace F = torch::nn::functional;

torch::nn::GroupNorm groupNorm(int64_t channels) {
  int64_t groups = 32;
  while (groups > 1 && (channels % groups != 0 || channels / groups < 2)) groups /= 2;
  return torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(1e-6));
}

torch::Tensor normIn(torch::nn::GroupNorm& norm, const torch::Tensor& x) {
  const auto dtype = norm->weight.scalar_type();
  if (x.scalar_type() == dtype) return norm(x);
  return norm(x.to(dtype)).to(x.scalar_type());
}

torch::nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1));
}

torch::nn::Conv2d conv1x1(int64_t in, int64_t out) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 1)); }

ResBlockImpl::ResBlockImpl(int64_t in, int64_t out, int64_t timeDim) {
  norm1 = register_module("norm1", groupNorm(in));
  conv1 = register_module("conv1", conv3x3(in, out));
  norm2 = register_module("norm2", groupNorm(out));
  conv2 = register_module("conv2", conv3x3(out, out));
  if (in != out) skip = register_module("skip", conv1x1(in, out));
  if (timeDim > 0) timeProj = register_module("time_proj", torch::nn::Linear(timeDim, out));
  // Start as (almost) the identity: residual branches begin small (ADM zero-inits this conv).
  torch::NoGradGuard g;
  conv2->weight.mul_(0.1);
}

torch::Tensor ResBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& temb) {
  torch::Tensor h = conv1(F::silu(normIn(norm1, x)));
  if (timeProj && temb.defined()) h = h + timeProj(F::silu(temb)).unsqueeze(-1).unsqueeze(-1);
  h = conv2(F::silu(normIn(norm2, h)));
  return (skip ? skip(x) : x) + h;
}

AttentionBlockImpl::AttentionBlockImpl(int64_t channels, int64_t heads) : heads_(heads) {
  norm = register_module("norm", groupNorm(channels));
  qkv = register_module("qkv", conv1x1(channels, 3 * channels));
  proj = register_module("proj", conv1x1(channels, channels));
  torch::NoGradGuard g;
  proj->weight.mul_(0.1);
}

torch::Tensor AttentionBlockImpl::forward(const torch::Tensor& x) {
  const int64_t b = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3);
  const int64_t d = c / heads_;
  auto t = qkv(normIn(norm, x)).reshape({b, 3, heads_, d, hw});
  auto q = t.select(1, 0), k = t.select(1, 1), v = t.select(1, 2);  // b x heads x d x hw
  auto logits = torch::matmul(q.transpose(-1, -2), k) / std::sqrt(static_cast<double>(d));  // hw x hw
  // fp16 logits: the softmax (its max and sum) runs in fp32
  auto attn = logits.scalar_type() == torch::kFloat32 ? torch::softmax(logits, -1)
                                                      : torch::softmax(logits.to(torch::kFloat32), -1).to(logits.scalar_type());
  auto out = torch::matmul(v, attn.transpose(-1, -2)).reshape({b, c, x.size(2), x.size(3)});
  return x + proj(out);
}

DownsampleImpl::DownsampleImpl(int64_t channels) { conv = register_module("conv", conv3x3(channels, channels, 2)); }
torch::Tensor DownsampleImpl::forward(const torch::Tensor& x) { return conv(x); }

UpsampleImpl::UpsampleImpl(int64_t channels, int64_t out) {
  conv = register_module("conv", conv3x3(channels, out > 0 ? out : channels));
}
torch::Tensor UpsampleImpl::forward(const torch::Tensor& x) {
  return conv(F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest)));
}

}  // namespace fieldscope
