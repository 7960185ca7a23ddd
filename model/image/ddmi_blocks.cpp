#include "model/image/ddmi_blocks.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "model/nn/blocks.h"

namespace fieldscope {
namespace F = torch::nn::functional;

torch::nn::GroupNorm ddmiNorm(int64_t channels) {
  if (channels % 32 != 0)
    throw std::runtime_error("ddmi: GroupNorm has 32 groups, so widths must be multiples of 32 (got " +
                             std::to_string(channels) + ")");
  return torch::nn::GroupNorm(torch::nn::GroupNormOptions(32, channels).eps(1e-6));
}

torch::nn::Conv2d ddmiConv(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(pad < 0 ? kernel / 2 : pad));
}

torch::Tensor ddmiSwish(const torch::Tensor& x) { return x * torch::sigmoid(x); }

DdmiResnetBlockImpl::DdmiResnetBlockImpl(int64_t in, int64_t out) {
  norm1 = register_module("norm1", ddmiNorm(in));
  conv1 = register_module("conv1", ddmiConv(in, out, 3));
  norm2 = register_module("norm2", ddmiNorm(out));
  conv2 = register_module("conv2", ddmiConv(out, out, 3));
  if (in != out) ninShortcut = register_module("nin_shortcut", ddmiConv(in, out, 1));
}

torch::Tensor DdmiResnetBlockImpl::forward(const torch::Tensor& x) {
  auto h = conv1(ddmiSwish(normIn(norm1, x)));
  h = conv2(ddmiSwish(normIn(norm2, h)));
  return (ninShortcut ? ninShortcut(x) : x) + h;
}

DdmiAttnBlockImpl::DdmiAttnBlockImpl(int64_t channels) {
  norm = register_module("norm", ddmiNorm(channels));
  q = register_module("q", ddmiConv(channels, channels, 1));
  k = register_module("k", ddmiConv(channels, channels, 1));
  v = register_module("v", ddmiConv(channels, channels, 1));
  projOut = register_module("proj_out", ddmiConv(channels, channels, 1));
}

torch::Tensor DdmiAttnBlockImpl::forward(const torch::Tensor& x) {
  const int64_t b = x.size(0), c = x.size(1), hgt = x.size(2), wid = x.size(3);
  auto hn = normIn(norm, x);
  auto qs = q(hn).reshape({b, c, -1}).permute({0, 2, 1});  // b, hw, c
  auto ks = k(hn).reshape({b, c, -1});                       // b, c, hw
  auto weights = torch::softmax(torch::bmm(qs, ks) * (1.0 / std::sqrt(static_cast<double>(c))), 2);
  auto attended = torch::bmm(v(hn).reshape({b, c, -1}), weights.permute({0, 2, 1}));
  return x + projOut(attended.reshape({b, c, hgt, wid}));
}

DdmiDownsampleImpl::DdmiDownsampleImpl(int64_t channels) {
  conv = register_module("conv", ddmiConv(channels, channels, 3, 2, 0));
}

torch::Tensor DdmiDownsampleImpl::forward(const torch::Tensor& x) {
  return conv(F::pad(x, F::PadFuncOptions({0, 1, 0, 1})));
}

DdmiUpsampleImpl::DdmiUpsampleImpl(int64_t channels) { conv = register_module("conv", ddmiConv(channels, channels, 3)); }

torch::Tensor DdmiUpsampleImpl::forward(const torch::Tensor& x) {
  return conv(F::interpolate(
      x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest)));
}

std::shared_ptr<torch::nn::Module> ddmiGroup(torch::nn::Module& parent, const std::string& name) {
  return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

}  // namespace fieldscope
