#pragma once
// The SR diffusion stage's training pairs (docs/architecture.md "The super-resolution domain";
// `train sr-ldm` and `train sr-align`): random windows of the photo crops at random real scales in
// [1, maxTrainScale], each with its antialiased 8-bit downsampling upsampled back by bicubic, the
// decoder-only latent of that (the condition) and the latent that makes the frozen decoder
// reproduce the window (sr_latent_inversion.h). The same seed gives the same pairs, so a resumed
// run rebuilds them exactly.
#include <torch/types.h>

#include <cstdint>

#include "model/sr/sr_autoencoder.h"
#include "model/sr/sr_latent_inversion.h"

namespace fieldscope {

struct SrTrainingPairs {
  torch::Tensor hr;      // N x 3 x S x S windows in [-1, 1]
  torch::Tensor up;      // N x 3 x S x S: their low-resolution versions upsampled by bicubic
  torch::Tensor cond;    // N x C x S/4 x S/4: encode(up)
  torch::Tensor target;  // N x C x S/4 x S/4: the inverted latents
  double psnrBefore = 0, psnrAfter = 0;  // decoded cond / target against hr, mean over the pairs
};

// `count` pairs of `window`-pixel windows of `crops` (N x 3 x H x W in [-1, 1]), drawn with
// generators no training step uses (stepGenerator(seed, -1000 - batch)). `quiet`: no progress line.
SrTrainingPairs makeSrTrainingPairs(SrAutoencoder& ae, const torch::Tensor& crops, int64_t count, int64_t window,
                                    uint64_t seed, const LatentInversion& inversion, bool quiet);

}  // namespace fieldscope
