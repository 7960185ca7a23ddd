#pragma once
// `fieldscope train image-ldm`: trains the latent diffusion UNet on the latents of a trained VAE.
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/train/training_loop.h"

namespace fieldscope {

struct ImageLdmTrainOptions {
  // out, steps, seed, resume, stopAt, log...: what every trainer shares.
  TrainingRunOptions run{.steps = 4000, .checkpointEvery = 250};
  std::filesystem::path vaePath, dataDir;
  std::string preset = "small";
  int64_t batch = 32;
  double lr = 5e-4;
};

struct ImageLdmTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
};

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& opt);

}  // namespace fieldscope
