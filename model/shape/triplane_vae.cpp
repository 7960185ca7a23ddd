#include "model/shape/triplane_vae.h"

#include <torch/torch.h>

namespace fieldscope {

torch::Tensor rollOut(const torch::Tensor& planes) {
  const int64_t N = planes.size(0), C = planes.size(2), r = planes.size(3);
  return planes.permute({0, 2, 3, 1, 4}).reshape({N, C, r, 3 * planes.size(4)});
}

torch::Tensor rollIn(const torch::Tensor& rolled) {
  const int64_t N = rolled.size(0), C = rolled.size(1), r = rolled.size(2), w = rolled.size(3) / 3;
  return rolled.view({N, C, r, 3, w}).permute({0, 3, 1, 2, 4}).contiguous();
}

namespace {

// Planes folded into the batch for the shared convolutions: N x 3 x C x h x w <-> 3N x C x h x w.
torch::Tensor fold(const torch::Tensor& x) { return x.reshape({-1, x.size(2), x.size(3), x.size(4)}); }
torch::Tensor unfold(const torch::Tensor& x, int64_t N) { return x.view({N, 3, x.size(1), x.size(2), x.size(3)}); }

// Attention over the three planes' cells at once.
torch::Tensor attendAcrossPlanes(AttentionBlock& attn, const torch::Tensor& folded, int64_t N) {
  return fold(rollIn(attn(rollOut(unfold(folded, N)))));
}

}  // namespace

TriplaneEncoderImpl::TriplaneEncoderImpl(const ShapeVaeConfig& c) {
  const int64_t ch = c.vaeChannels, low = 2 * c.vaeChannels;  // widened once, at the lowest resolution
  convIn = register_module("conv_in", conv3x3(c.planeChannels, ch));
  for (int i = 0; i < c.downsamples; ++i) {
    res_.push_back(register_module("res" + std::to_string(i), ResBlock(ch, ch)));
    downs_.push_back(register_module("down" + std::to_string(i), Downsample(ch)));
  }
  mid = register_module("mid", ResBlock(ch, low));
  crossPlane = register_module("cross_plane", AttentionBlock(low));
  normOut = register_module("norm_out", groupNorm(low));
  convOut = register_module("conv_out", conv3x3(low, 2 * c.latentChannels));
}

Posterior TriplaneEncoderImpl::forward(const torch::Tensor& planes) {
  const int64_t N = planes.size(0);
  auto h = convIn(fold(planes));
  for (size_t i = 0; i < res_.size(); ++i) h = downs_[i](res_[i](h));
  h = attendAcrossPlanes(crossPlane, mid(h), N);
  auto moments = unfold(convOut(torch::silu(normIn(normOut, h))), N);
  auto parts = moments.chunk(2, 2);
  return {parts[0], parts[1].clamp(-20, 10)};
}

TriplaneDecoderImpl::TriplaneDecoderImpl(const ShapeVaeConfig& c) {
  const int64_t low = 2 * c.vaeChannels, high = c.vaeChannels, F = c.decoder.fieldChannels;
  convIn = register_module("conv_in", conv3x3(c.latentChannels, low));
  mid1 = register_module("mid1", ResBlock(low, low));
  crossPlane = register_module("cross_plane", AttentionBlock(low));
  mid2 = register_module("mid2", ResBlock(low, low));
  // Fields at r, 2r, 4r: one head after the middle, then one after each of two upsamplings.
  std::vector<int64_t> widths{low, high, high};
  for (int k = 0; k < 3; ++k) {
    if (k > 0) {
      ups_.push_back(register_module("up" + std::to_string(k), Upsample(widths[k - 1])));
      levels_.push_back(register_module("level" + std::to_string(k), ResBlock(widths[k - 1], widths[k])));
    }
    headNorms_.push_back(register_module("head_norm" + std::to_string(k), groupNorm(widths[k])));
    heads_.push_back(register_module("head" + std::to_string(k), conv3x3(widths[k], F)));
  }
}

TriplaneFields TriplaneDecoderImpl::forward(const torch::Tensor& latent) {
  const int64_t N = latent.size(0);
  auto h = mid1(convIn(fold(latent)));
  h = mid2(attendAcrossPlanes(crossPlane, h, N));
  TriplaneFields f;
  for (int k = 0; k < 3; ++k) {
    if (k > 0) h = levels_[k - 1](ups_[k - 1](h));
    f.levels.push_back(unfold(heads_[k](torch::silu(normIn(headNorms_[k], h))), N));
  }
  return f;
}

}  // namespace fieldscope
