#pragma once
// How well the SR autoencoder's regression path super-resolves held-out photo crops
// (docs/architecture.md "The super-resolution domain"): each crop is degraded to round(side /
// scale), then brought back to its side by the bicubic baseline and by the decoder alone
// (encode the bicubic image, read the feature map at the crop's resolution). PSNR (RGB) and
// SSIM (luma) per scale, the whole crop (no border shaved); and the LR consistency.
#include <torch/types.h>

#include <vector>

#include "model/sr/sr_autoencoder.h"
#include "model/util/work_progress.h"

namespace fieldscope {

struct SrScaleScore {
  double scale = 0;
  double bicubicPsnr = 0, bicubicSsim = 0;
  double decoderPsnr = 0, decoderSsim = 0;
  // The decoder's output brought back to the input's size (the same antialiased bicubic) against
  // the input: how faithful the super-resolution is to what it was given.
  double decoderLrConsistencyPsnr = 0;
};

struct SrEvaluation {
  std::vector<SrScaleScore> scales;
  int64_t crops = 0;
};

// crops: N x 3 x S x S uint8 (S a multiple of the autoencoder's down factor). `progress` counts
// crops scored, over all scales (crops x scales in all).
SrEvaluation evaluateSrDecoder(SrAutoencoder& ae, const torch::Tensor& crops, const std::vector<double>& scales,
                               const WorkProgress& progress = {});

// At most n of the crops, evenly spread over them (index-ordered sets are ordered by scene, so the
// first n would all be of one picture); all of them when n >= N.
torch::Tensor spreadCrops(const torch::Tensor& crops, int64_t n);

// The decoder-only super-resolution of a batch: lr N x 3 x h x w in [-1, 1] -> N x 3 x H x W
// (H, W multiples of the down factor).
torch::Tensor decoderOnlyUpscale(SrAutoencoder& ae, const torch::Tensor& lr, int64_t H, int64_t W);

}  // namespace fieldscope
