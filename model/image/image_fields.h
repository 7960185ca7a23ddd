#pragma once
// The three basis fields (HDBF) a decoded latent gives: coarse (latent resolution), middle (2x)
// and fine (the training resolution). Made once per sample by ImageVae::decodeFields and kept by
// the viewer; reading them at any coordinates is cheap.
#include <torch/types.h>

#include <array>

namespace fieldscope {

struct ImageFields {
  // Each N x C x h x w float32 (N = 1 for a single sample), coarse to fine.
  std::array<torch::Tensor, 3> levels;
  // The same in N x h x w x C layout (channels last) for the regular-grid readout; filled by
  // channelsLast() on first use.
  std::array<torch::Tensor, 3> hwc;
  const std::array<torch::Tensor, 3>& channelsLast();
  int64_t batch() const { return levels[0].size(0); }
  ImageFields select(int64_t index) const;  // one sample of a batch
};

}  // namespace fieldscope
