#include "model/video/video_vae.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace fieldscope {

VideoEncoderImpl::VideoEncoderImpl(const VideoVaeConfig& c) {
  const int64_t C = c.channels;
  frameIn = register_module("frame_in", conv3x3(3, C, 2));  // straight to S/2: the frames are the costly part
  frameRes = register_module("frame_res", ResBlock(C, C));
  temporal = register_module(
      "temporal", torch::nn::Conv3d(torch::nn::Conv3dOptions(C, C, {3, 1, 1}).padding({1, 0, 0})));
  planeRes = register_module("plane_res", ResBlock(C, C));
  planeDown = register_module("plane_down", Downsample(C));
  mid = register_module("mid", ResBlock(C, 2 * C));
  attention = register_module("attention", AttentionBlock(2 * C));
  normOut = register_module("norm_out", groupNorm(2 * C));
  convOut = register_module("conv_out", conv3x3(2 * C, 2 * int64_t(c.latentChannels)));
}

Posterior VideoEncoderImpl::forward(const torch::Tensor& clips) {
  if (clips.dim() != 5 || clips.size(2) != 3) throw std::invalid_argument("video encoder: expected N x T x 3 x S x S");
  const int64_t N = clips.size(0), T = clips.size(1);
  auto h = frameRes(frameIn(clips.reshape({N * T, 3, clips.size(3), clips.size(4)})));
  const int64_t C = h.size(1), H = h.size(2), W = h.size(3);
  h = h.view({N, T, C, H, W}).permute({0, 2, 1, 3, 4});  // N x C x T x H x W
  h = h + temporal(torch::silu(h));
  // The three planes, one under the other: xy (H rows), xt (T rows of x), yt (T rows of y).
  auto rolled = torch::cat({h.mean(2), h.mean(3), h.mean(4)}, 2);
  auto r = attention(mid(planeDown(planeRes(rolled))));
  auto parts = convOut(torch::silu(normIn(normOut, r))).chunk(2, 1);
  return {parts[0], parts[1].clamp(-20, 10)};
}

VideoDecoderImpl::VideoDecoderImpl(const VideoVaeConfig& c) : config_(c) {
  const int64_t low = 2 * int64_t(c.channels), high = c.channels, F = c.fieldChannels;
  convIn = register_module("conv_in", conv3x3(c.latentChannels, low));
  mid1 = register_module("mid1", ResBlock(low, low));
  attention = register_module("attention", AttentionBlock(low));
  mid2 = register_module("mid2", ResBlock(low, low));
  const std::vector<int64_t> widths{low, high, high};
  for (int k = 0; k < 3; ++k) {
    if (k > 0) {
      ups_.push_back(register_module("up" + std::to_string(k), Upsample(widths[k - 1])));
      levels_.push_back(register_module("level" + std::to_string(k), ResBlock(widths[k - 1], widths[k])));
    }
    headNorms_.push_back(register_module("head_norm" + std::to_string(k), groupNorm(widths[k])));
    heads_.push_back(register_module("head" + std::to_string(k), conv3x3(widths[k], F)));
  }
}

VideoFields VideoDecoderImpl::forward(const torch::Tensor& latent) {
  if (latent.dim() != 4 || latent.size(2) != config_.latentRows() || latent.size(3) != config_.latentWidth())
    throw std::invalid_argument("video decoder: the latent is not N x C x " + std::to_string(config_.latentRows()) +
                                " x " + std::to_string(config_.latentWidth()));
  auto h = mid2(attention(mid1(convIn(latent))));
  VideoFields f;
  f.xyRows = config_.latentXyRows();
  f.timeRows = config_.latentTimeRows();
  for (int k = 0; k < 3; ++k) {
    if (k > 0) h = levels_[k - 1](ups_[k - 1](h));
    f.levels.push_back(heads_[k](torch::silu(normIn(headNorms_[k], h))));
  }
  return f;
}

VideoVaeImpl::VideoVaeImpl(const VideoVaeConfig& c) : config_(c) {
  encoder = register_module("encoder", VideoEncoder(c));
  decoder = register_module("decoder", VideoDecoder(c));
  readout = register_module("readout", VideoReadout(c));
}

VideoFields videoFieldsOf(const VideoFields& batch, int64_t index) {
  VideoFields f = batch;
  for (auto& level : f.levels)
    if (level.dim() == 4) level = level[index];
  return f;
}

}  // namespace fieldscope
