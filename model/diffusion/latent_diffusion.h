#pragma once
// A trained latent diffusion model as stored in a checkpoint: config["ldm"] = {unet, latent_scale,
// schedule}, tensors "ldm.<name>" (the EMA weights).
#include "model/checkpoint/checkpoint.h"
#include "model/diffusion/class_guidance.h"
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
  DiffusionClasses classes;  // empty unless the UNet is class-conditional (config ldm.classes)

  bool canSample() const { return static_cast<bool>(unet) || static_cast<bool>(ddmiUnet); }
  int numClasses() const;  // the UNet's class count (either architecture; 0: unconditional)
  // The sampler's ε of whichever UNet the model has. labels (N int64, -1 = no class) and w: the
  // guided ε_u + w (ε_c − ε_u) of a class-conditional model, both halves in one batched call
  // (w = 1: the conditional ε alone). Undefined labels or w = 0: the unconditional ε. Throws
  // std::invalid_argument when labels are given to a model without classes.
  EpsilonFn epsilon(const torch::Tensor& labels = {}, double guidance = 0);
};

// An imported DDMI diffusion model: config["ldm"] with architecture "ddmi", the authors' timestep
// spacing, tensors "ldm.<their names>". latentScale: 1 for the authors' files; a model trained with
// `--latent-scale unit` samples latents x (1 / their std) and divides by it before decoding.
void storeDdmiDiffusion(Checkpoint& ckpt, const DdmiUNet& unet, double latentScale, const DiffusionClasses& classes = {});

// `classes`: a class-conditional UNet's classes (their count must be the UNet's numClasses).
void storeLatentDiffusion(Checkpoint& ckpt, const UNet& unet, double latentScale, const DiffusionClasses& classes = {});
// Throws naming the file when the checkpoint has no (or a malformed) diffusion model.
// `allowDdmi`: the caller samples through LatentDiffusion::epsilon() (image models); other domains
// read `unet` and refuse an imported DDMI UNet with a message.
LatentDiffusion restoreLatentDiffusion(const Checkpoint& ckpt, bool allowDdmi = false);

}  // namespace fieldscope
