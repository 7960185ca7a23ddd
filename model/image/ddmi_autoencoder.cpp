#include "model/image/ddmi_autoencoder.h"

#include <torch/torch.h>

#include "model/nn/blocks.h"

namespace fieldscope {

DdmiEncoderImpl::DdmiEncoderImpl(const ImageVaeConfig& c) {
  const int64_t levels = c.channelMult.size();
  convIn = register_module("conv_in", ddmiConv(3, c.baseChannels, 3));
  auto down = register_module("down", torch::nn::ModuleList());
  int64_t ch = c.baseChannels;
  levels_.resize(levels);
  for (int64_t l = 0; l < levels; ++l) {
    auto level = std::make_shared<torch::nn::Module>();
    auto blocks = level->register_module("block", torch::nn::ModuleList());
    const int64_t out = c.baseChannels * c.channelMult[l];
    for (int r = 0; r < c.numResBlocks; ++r) {
      levels_[l].push_back(DdmiResnetBlock(ch, out));
      blocks->push_back(levels_[l].back());
      ch = out;
    }
    if (l + 1 < levels) downs_.push_back(level->register_module("downsample", DdmiDownsample(ch)));
    down->push_back(level);
  }
  auto mid = ddmiGroup(*this, "mid");
  mid1 = mid->register_module("block_1", DdmiResnetBlock(ch, ch));
  midAttn = mid->register_module("attn_1", DdmiAttnBlock(ch));
  mid2 = mid->register_module("block_2", DdmiResnetBlock(ch, ch));
  normOut = register_module("norm_out", ddmiNorm(ch));
  convOut = register_module("conv_out", ddmiConv(ch, 2 * c.zChannels, 3));
  quantConv = register_module("quant_conv", ddmiConv(2 * c.zChannels, 2 * c.latentChannels, 1));
}

Posterior DdmiEncoderImpl::forward(const torch::Tensor& images) {
  auto h = convIn(images);
  for (size_t l = 0; l < levels_.size(); ++l) {
    for (auto& r : levels_[l]) h = r->forward(h);
    if (l < downs_.size()) h = downs_[l]->forward(h);
  }
  h = mid2->forward(midAttn->forward(mid1->forward(h)));
  auto moments = quantConv(convOut(ddmiSwish(normIn(normOut, h))));
  auto parts = moments.chunk(2, 1);
  return {parts[0], parts[1].clamp(-30.0, 20.0)};
}

DdmiDecoderImpl::DdmiDecoderImpl(const ImageVaeConfig& c) {
  const int64_t levels = c.channelMult.size();
  int64_t ch = c.baseChannels * c.channelMult.back();
  postQuantConv = register_module("post_quant_conv", ddmiConv(c.latentChannels, c.zChannels, 1));
  convIn = register_module("conv_in", ddmiConv(c.zChannels, ch, 3));
  auto mid = ddmiGroup(*this, "mid");
  mid1 = mid->register_module("block_1", DdmiResnetBlock(ch, ch));
  midAttn = mid->register_module("attn_1", DdmiAttnBlock(ch));
  mid2 = mid->register_module("block_2", DdmiResnetBlock(ch, ch));
  levels_.resize(levels);
  hdbf_.resize(levels, torch::nn::Conv2d{nullptr});
  ups_.resize(levels, DdmiUpsample{nullptr});
  std::vector<std::shared_ptr<torch::nn::Module>> groups(levels);
  for (int64_t l = levels - 1; l >= 0; --l) {  // built lowest level first, as the data flows
    groups[l] = std::make_shared<torch::nn::Module>();
    auto blocks = groups[l]->register_module("block", torch::nn::ModuleList());
    const int64_t out = c.baseChannels * c.channelMult[l];
    for (int r = 0; r < c.numResBlocks + 1; ++r) {
      levels_[l].push_back(DdmiResnetBlock(ch, out));
      blocks->push_back(levels_[l].back());
      ch = out;
    }
    auto taps = groups[l]->register_module("hdbf", torch::nn::ModuleList());
    if (l >= levels - 2) {  // the coarse and middle fields: the two lowest levels
      hdbf_[l] = ddmiConv(ch, c.fieldChannels, 1);
      taps->push_back(hdbf_[l]);
    }
    if (l > 0) ups_[l] = groups[l]->register_module("upsample", DdmiUpsample(ch));
  }
  auto up = register_module("up", torch::nn::ModuleList());
  for (auto& g : groups) up->push_back(g);
  normOut = register_module("norm_out", ddmiNorm(ch));
  convOut = register_module("conv_out", ddmiConv(ch, c.fieldChannels, 3));
}

ImageFields DdmiDecoderImpl::forward(const torch::Tensor& z) {
  auto h = mid2->forward(midAttn->forward(mid1->forward(convIn(postQuantConv(z)))));
  ImageFields f;
  int tapped = 0;
  for (int64_t l = int64_t(levels_.size()) - 1; l >= 0; --l) {
    for (auto& r : levels_[l]) h = r->forward(h);
    if (hdbf_[l]) f.levels[tapped++] = hdbf_[l](h);
    if (ups_[l]) h = ups_[l]->forward(h);
  }
  f.levels[2] = convOut(ddmiSwish(normIn(normOut, h)));
  return f;
}

}  // namespace fieldscope
