#pragma once
// The SR domain's diffusion stage (docs/architecture.md "The super-resolution domain"; DESIGN
// §5.2): a UNet conditioned on the encoded bicubic upsampling of the low-resolution picture
// (concatenated to the noisy latent) samples the latent the implicit decoder reads. The target
// scale never enters it: it only sets the latent grid (output size / 4) and the decoder's cells.
//
// What it samples is the *detail latent*: the difference between the latent that makes the
// decoder reproduce the high-resolution picture and the decoder-only latent (the encoding of
// the bicubic upsampling). The sampled latent is cond + detail / latentScale, read by the same
// decoder as the decoder-only path -- so a sample of zero detail is exactly the decoder-only
// result, and the residual decoder (SrAeConfig::residual) needs no other input than the picture.
//
// A large latent is sampled in overlapping windows: at every step each window's ε is
// predicted and the windows are blended with tent weights (the same step everywhere), so there
// are no seams between windows.
#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/ddim.h"
#include "model/diffusion/latent_diffusion.h"

namespace fieldscope {

struct SrDiffusion {
  LatentDiffusion ldm;     // ldm.latentScale: 1 / std of the detail latents
  double condScale = 1.0;  // the condition latent is multiplied by this (1 / its std)
};

// config["ldm"]["condition"]: what the UNet is conditioned on and its scale.
void storeSrDiffusionCondition(Checkpoint& ckpt, double condScale);
bool hasSrDiffusion(const Checkpoint& ckpt);
// Throws naming the file when the checkpoint has no (or a malformed) SR diffusion stage.
SrDiffusion restoreSrDiffusion(const Checkpoint& ckpt);

struct SrSampling {
  int steps = 50;
  double eta = 0;
  // Latent cells a window side (a multiple of 4) and how many two neighbouring windows share;
  // 0: the size the UNet was trained at (UNetConfig::resolution), overlapping by a quarter.
  int64_t windowCells = 0;
  int64_t overlapCells = 0;
  // Windows evaluated in one UNet call. The small preset's windows are 8 x 8 cells: a call of 32
  // spends a third of its time in per-operation overhead (bench/results/model_sr.json: a step 865 ms
  // at 32 windows a call, 561 ms at 256, 642 ms at 1024); 256
  // of them hold ~30 MB of activations.
  int64_t windowsPerBatch = 256;
  SamplerProgress onStep;     // may be empty
  const std::atomic<bool>* cancel = nullptr;
};

// cond: N x C x h x w, the decoder-only latents (unscaled); seeds: N. Returns the sampled latents
// (N x C x h x w, unscaled, what SrAutoencoder::features reads), or an undefined tensor when
// cancelled. A seed gives the same sample in any batch.
torch::Tensor sampleSrLatents(SrDiffusion& d, const torch::Tensor& cond, const std::vector<uint64_t>& seeds,
                              const SrSampling& s);

}  // namespace fieldscope
