#pragma once
// A trained latent diffusion model as stored in a checkpoint: config["ldm"] = {unet, latent_scale,
// schedule}, tensors "ldm.<name>" (the EMA weights).
#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/schedule.h"
#include "model/diffusion/unet.h"

namespace fieldscope {

struct LatentDiffusion {
  UNet unet{nullptr};
  DiffusionSchedule schedule;
  double latentScale = 1.0;  // diffusion runs on latent * latentScale (unit variance)
};

void storeLatentDiffusion(Checkpoint& ckpt, const UNet& unet, double latentScale);
// Throws naming the file when the checkpoint has no (or a malformed) diffusion model.
LatentDiffusion restoreLatentDiffusion(const Checkpoint& ckpt);

}  // namespace fieldscope
