#include "model/image/image_vae.h"

#include <torch/torch.h>

#include <algorithm>

#include "model/image/ddmi_autoencoder.h"
#include "model/image/ddmi_readout.h"
#include "model/image/field_sampling.h"
#include "model/nn/blocks.h"

namespace fieldscope {
namespace F = torch::nn::functional;

ImageEncoderImpl::ImageEncoderImpl(const ImageVaeConfig& c) : patch_(c.patch) {
  const int64_t levels = c.channelMult.size();
  convIn = register_module("conv_in", conv3x3(3 * c.patch * c.patch, c.baseChannels));
  int64_t ch = c.baseChannels;
  levels_.resize(levels);
  for (int64_t l = 0; l < levels; ++l) {
    const int64_t out = c.baseChannels * c.channelMult[l];
    for (int r = 0; r < c.numResBlocks; ++r) {
      levels_[l].push_back(register_module("level" + std::to_string(l) + "_res" + std::to_string(r), ResBlock(ch, out)));
      ch = out;
    }
    if (l + 1 < levels) downs_.push_back(register_module("down" + std::to_string(l), Downsample(ch)));
  }
  mid1 = register_module("mid1", ResBlock(ch, ch));
  midAttn = register_module("mid_attn", AttentionBlock(ch));
  mid2 = register_module("mid2", ResBlock(ch, ch));
  normOut = register_module("norm_out", groupNorm(ch));
  convOut = register_module("conv_out", conv3x3(ch, 2 * c.latentChannels));
}

Posterior ImageEncoderImpl::forward(const torch::Tensor& x) {
  auto h = convIn(patch_ > 1 ? torch::pixel_unshuffle(x, patch_) : x);
  for (size_t l = 0; l < levels_.size(); ++l) {
    for (auto& r : levels_[l]) h = r->forward(h);
    if (l < downs_.size()) h = downs_[l]->forward(h);
  }
  h = mid2->forward(midAttn->forward(mid1->forward(h)));
  auto moments = convOut(F::silu(normIn(normOut, h)));
  auto parts = moments.chunk(2, 1);
  return {parts[0], parts[1].clamp(-30.0, 20.0)};
}

ImageDecoderImpl::ImageDecoderImpl(const ImageVaeConfig& c) : patch_(c.patch) {
  const int64_t levels = c.channelMult.size();
  int64_t ch = c.baseChannels * c.channelMult.back();
  convIn = register_module("conv_in", conv3x3(c.latentChannels, ch));
  mid1 = register_module("mid1", ResBlock(ch, ch));
  midAttn = register_module("mid_attn", AttentionBlock(ch));
  mid2 = register_module("mid2", ResBlock(ch, ch));
  for (int64_t l = levels - 1; l >= 0; --l) {
    const int64_t out = c.baseChannels * c.channelMult[l];
    std::vector<ResBlock> blocks;
    for (int r = 0; r < c.numResBlocks; ++r) {
      blocks.push_back(register_module("level" + std::to_string(l) + "_res" + std::to_string(r), ResBlock(ch, out)));
      ch = out;
    }
    levels_.push_back(blocks);
    if (l == levels - 1) headCoarse = register_module("head_coarse", conv1x1(ch, c.fieldChannels));
    if (l == levels - 2) headMiddle = register_module("head_middle", conv1x1(ch, c.fieldChannels));
    if (l > 0) {
      const int64_t next = c.baseChannels * c.channelMult[l - 1];
      ups_.push_back(register_module("up" + std::to_string(l), Upsample(ch, next)));
      ch = next;
    }
  }
  normOut = register_module("norm_out", groupNorm(ch));
  convOut = register_module("conv_out", conv3x3(ch, c.fieldChannels * c.patch * c.patch));
}

ImageFields ImageDecoderImpl::forward(const torch::Tensor& z) {
  auto h = mid2->forward(midAttn->forward(mid1->forward(convIn(z))));
  ImageFields f;
  for (size_t i = 0; i < levels_.size(); ++i) {
    for (auto& r : levels_[i]) h = r->forward(h);
    if (i == 0) f.levels[0] = headCoarse(h);
    if (i == 1) f.levels[1] = headMiddle(h);
    if (i < ups_.size()) h = ups_[i]->forward(h);
  }
  auto fine = convOut(F::silu(normIn(normOut, h)));
  f.levels[2] = patch_ > 1 ? torch::pixel_shuffle(fine, patch_) : fine;
  return f;
}

std::pair<double, double> renderScale(const ImageVaeConfig& c, double x0, double y0, double x1, double y1, int64_t W,
                                      int64_t H) {
  const double sx = c.resolution * std::abs(x1 - x0) / static_cast<double>(W);
  const double sy = c.resolution * std::abs(y1 - y0) / static_cast<double>(H);
  return {sx, sy};
}

ImageVaeImpl::ImageVaeImpl(const ImageVaeConfig& c) : config_(c) {
  if (c.ddmi()) {
    encoder = register_module("encoder", std::make_shared<DdmiEncoderImpl>(c));
    decoder = register_module("decoder", std::make_shared<DdmiDecoderImpl>(c));
    readout = register_module("readout", std::make_shared<DdmiReadoutImpl>(c.fieldChannels, c.mlpWidth, c.layersPerBlock));
  } else {
    encoder = register_module("encoder", std::make_shared<ImageEncoderImpl>(c));
    decoder = register_module("decoder", std::make_shared<ImageDecoderImpl>(c));
    readout = register_module(
        "readout", std::make_shared<CfcReadoutImpl>(c.fieldChannels, c.mlpWidth, c.layersPerBlock, c.styleDim));
  }
}

FoldedCfc ImageVaeImpl::foldScale(double sx, double sy) {
  auto clampScale = [&](double s) {
    if (!std::isfinite(s)) return 1.0;
    if (config_.clampScale) return std::clamp(s, config_.minScale, 1.0);
    return s > 0 ? s : 1.0;
  };
  return readout->fold(clampScale(sx), clampScale(sy));
}

torch::Tensor ImageVaeImpl::decode(const ImageFields& fields, const torch::Tensor& coords, double scale) {
  const auto folded = foldScale(scale, scale).to(fields.levels[0].scalar_type());
  const int64_t n = coords.size(0), p = coords.size(1);
  torch::Tensor feats[3];
  for (int k = 0; k < 3; ++k) feats[k] = sampleFieldAt(fields.levels[k], coords).reshape({n * p, -1});
  return folded.apply(feats).reshape({n, p, 3});
}

torch::Tensor ImageVaeImpl::renderRegion(ImageFields& fields, double x0, double y0, double x1, double y1, int64_t W,
                                         int64_t H) {
  const auto [sx, sy] = renderScale(config_, x0, y0, x1, y1, W, H);
  const auto folded = foldScale(sx, sy).to(fields.levels[0].scalar_type());
  const auto device = fields.levels[0].device();
  const auto xsPos = pixelCentres(x0, x1, W, device), ysPos = pixelCentres(y0, y1, H, device);
  torch::Tensor feats[3];
  const int64_t n = fields.batch();
  for (int k = 0; k < 3; ++k) {
    auto hwc = fields.levels[k].permute({0, 2, 3, 1});
    auto cols = lerpColumns(hwc, axisLerp(xsPos, hwc.size(2)));
    feats[k] = lerpRows(cols, axisLerp(ysPos, hwc.size(1))).reshape({n * H * W, -1});
  }
  return folded.apply(feats).reshape({n, H, W, 3}).permute({0, 3, 1, 2});
}

}  // namespace fieldscope
