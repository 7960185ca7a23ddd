#include "model/sr/sr_autoencoder.h"

#include <torch/torch.h>

#include "model/nn/blocks.h"

namespace fieldscope {
namespace F = torch::nn::functional;

SrEncoderImpl::SrEncoderImpl(const SrAeConfig& c) {
  convIn = register_module("conv_in", conv3x3(3, c.channels[0]));
  body = register_module("body", torch::nn::Sequential());
  int64_t ch = c.channels[0];
  for (size_t level = 0; level < c.channels.size(); ++level) {
    for (int b = 0; b < c.encoderBlocks; ++b) {
      body->push_back(LocalResBlock(ch, c.channels[level]));
      ch = c.channels[level];
    }
    if (level + 1 < c.channels.size()) body->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(ch, ch, 3).stride(2).padding(1)));
  }
  body->push_back(LocalResBlock(ch, ch));  // the middle block (no attention: it would see the whole image)
  normOut = register_module("norm_out", ChannelNorm(ch));
  convOut = register_module("conv_out", conv3x3(ch, c.latentChannels));
}

torch::Tensor SrEncoderImpl::forward(const torch::Tensor& x) {
  return convOut(F::silu(normOut(body->forward(convIn(x)))));
}

SrFeatureDecoderImpl::SrFeatureDecoderImpl(const SrAeConfig& c) {
  int64_t ch = c.channels.back();
  convIn = register_module("conv_in", conv3x3(c.latentChannels, ch));
  body = register_module("body", torch::nn::Sequential());
  body->push_back(LocalResBlock(ch, ch));  // the middle block
  for (size_t i = c.channels.size(); i-- > 0;)
    for (int b = 0; b < c.decoderBlocks; ++b) {
      body->push_back(LocalResBlock(ch, c.channels[i]));
      ch = c.channels[i];
    }
  normOut = register_module("norm_out", ChannelNorm(ch));
  convOut = register_module("conv_out", conv3x3(ch, c.featureChannels));
}

torch::Tensor SrFeatureDecoderImpl::forward(const torch::Tensor& z) {
  return convOut(F::silu(normOut(body->forward(convIn(z)))));
}

SrAutoencoderImpl::SrAutoencoderImpl(const SrAeConfig& c) : config_(c) {
  encoder = register_module("encoder", SrEncoder(c));
  decoder = register_module("decoder", SrFeatureDecoder(c));
  head = register_module("head", LiifHead(c.featureChannels, c.mlpWidth, c.mlpHidden));
}

torch::Tensor pixelCentreGrid(double x0, double y0, double x1, double y1, int64_t W, int64_t H,
                              const torch::TensorOptions& options) {
  const auto xs = x0 + (torch::arange(W, options) + 0.5) * ((x1 - x0) / double(W));
  const auto ys = y0 + (torch::arange(H, options) + 0.5) * ((y1 - y0) / double(H));
  return torch::stack({xs.unsqueeze(0).expand({H, W}), ys.unsqueeze(1).expand({H, W})}, -1).reshape({H * W, 2});
}

torch::Tensor SrAutoencoderImpl::render(const torch::Tensor& feat, const torch::Tensor& input, double x0, double y0,
                                        double x1, double y1, int64_t W, int64_t H) {
  const int64_t n = feat.size(0);
  const auto grid = pixelCentreGrid(x0, y0, x1, y1, W, H, feat.options());
  const double cellW = (x1 - x0) / double(W), cellH = (y1 - y0) / double(H);
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < H * W; start += kSrQueryChunk) {
    const int64_t len = std::min(kSrQueryChunk, H * W - start);
    parts.push_back(head->forward(feat, grid.narrow(0, start, len).unsqueeze(0).expand({n, len, 2}), cellW, cellH));
  }
  torch::Tensor rgb = torch::cat(parts, 1).reshape({n, H, W, 3}).permute({0, 3, 1, 2});
  if (config_.residual) {
    TORCH_CHECK(input.defined(), "SR render: this model adds its output to the encoded input; none was given");
    rgb = rgb + F::grid_sample(input, grid.view({1, H, W, 2}).expand({n, H, W, 2}),
                               F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false));
  }
  return rgb;
}

}  // namespace fieldscope
