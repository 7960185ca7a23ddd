#pragma once
// `fieldscope train nerf-ldm` (docs/architecture.md "The NeRF domain", "Training"): the latent
// diffusion model over a NeRF VAE's latents of its training scenes (the posterior means and
// deviations the VAE file carries), rolled out as the shape domain's are (N x Cz x r x 3r), through
// the shared latent diffusion trainer. The model file: the VAE, the shared MLP and the EMA UNet
// (kind "vae+ldm").
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/train/training_loop.h"

namespace fieldscope {

struct NerfLdmTrainOptions {
  TrainingRunOptions run{.steps = 4000, .checkpointEvery = 250};
  std::filesystem::path vaePath;
  std::string preset = "small";
  int64_t batch = 32;
  double lr = 5e-4;
};

struct NerfLdmTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
};

NerfLdmTrainResult trainNerfLdm(const NerfLdmTrainOptions& opt);

}  // namespace fieldscope
