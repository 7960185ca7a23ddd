#pragma once
// A trained latent diffusion model as stored in a checkpoint: config["ldm"] = {unet, latent_scale,
// schedule}, tensors "ldm.<name>" (the EMA weights).
#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/schedule.h"
#include "model/diffusion/ddim.h"
#include "model/diffusion/ddmi_unet.h"
#include "model/diffusion/unet.h"

namespace fieldscope {

struct LatentDiffusion {
  UNet unet{nullptr};
  // An imported model's UNet (config["ldm"]["architecture"] "ddmi"; ddmi_unet.h) instead of `unet`.
  DdmiUNet ddmiUnet{nullptr};
  DiffusionSchedule schedule;
  double latentScale = 1.0;  // diffusion runs on latent * latentScale (unit variance)

  bool canSample() const { return static_cast<bool>(unet) || static_cast<bool>(ddmiUnet); }
  EpsilonFn epsilon();  // the sampler's ε of whichever UNet the model has
};

// An imported DDMI diffusion model: config["ldm"] with architecture "ddmi", the authors' timestep
// spacing, tensors "ldm.<their names>".
void storeDdmiDiffusion(Checkpoint& ckpt, const DdmiUNet& unet);

void storeLatentDiffusion(Checkpoint& ckpt, const UNet& unet, double latentScale);
// Throws naming the file when the checkpoint has no (or a malformed) diffusion model.
// `allowDdmi`: the caller samples through LatentDiffusion::epsilon() (image models); other domains
// read `unet` and refuse an imported DDMI UNet with a message.
LatentDiffusion restoreLatentDiffusion(const Checkpoint& ckpt, bool allowDdmi = false);

}  // namespace fieldscope
