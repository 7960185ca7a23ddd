#pragma once
// How well the SR diffusion stage super-resolves held-out photo crops (docs/architecture.md "The
// super-resolution domain"): each crop is degraded as in sr_eval.h, its decoder-only latent
// conditions `samples` diffusion samples (seeds 0..samples-1), and each sample is read by the
// decoder at the crop's size. Reported per scale: the first sample alone, the mean over the
// samples of their scores, the score of the samples' average picture, and the first sample's LR
// consistency.
#include <torch/types.h>

#include <vector>

#include "model/sr/sr_autoencoder.h"
#include "model/sr/sr_diffusion.h"
#include "model/util/work_progress.h"

namespace fieldscope {

struct SrDiffusionScore {
  double scale = 0;
  double onePsnr = 0, oneSsim = 0;    // sample seed 0
  double meanPsnr = 0, meanSsim = 0;  // mean over the samples
  double averagePsnr = 0, averageSsim = 0;  // of the samples' average picture
  double lrConsistencyPsnr = 0;       // of sample seed 0
};

struct SrDiffusionEvaluation {
  std::vector<SrDiffusionScore> scales;
  int64_t crops = 0;
  int samples = 0, steps = 0;
};

// crops: N x 3 x S x S uint8. `progress` counts crops over all scales.
SrDiffusionEvaluation evaluateSrDiffusion(SrAutoencoder& ae, SrDiffusion& diffusion, const torch::Tensor& crops,
                                          const std::vector<double>& scales, int samples, int steps,
                                          const WorkProgress& progress = {});

// `samples` diffusion super-resolutions of each of a batch: lr B x 3 x h x w in [-1, 1] -> B x
// samples x 3 x H x W (seeds 0..samples-1 for every picture).
torch::Tensor diffusionUpscale(SrAutoencoder& ae, SrDiffusion& diffusion, const torch::Tensor& lr, int64_t H, int64_t W,
                               int samples, int steps);

}  // namespace fieldscope
