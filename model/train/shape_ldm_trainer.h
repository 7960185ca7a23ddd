#pragma once
// `fieldscope train shape-ldm`: the triplane latent diffusion model of the shape domain, trained on
// the rolled-out latents (N x C x r x 3r) of a trained shape VAE through the shared latent
// diffusion trainer (docs/architecture.md "Training").
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/train/training_loop.h"

namespace fieldscope {

struct ShapeLdmTrainOptions {
  TrainingRunOptions run{.steps = 4000, .checkpointEvery = 250};
  std::filesystem::path vaePath, dataDir;
  std::string preset = "small";
  int64_t batch = 32;
  double lr = 5e-4;
};

struct ShapeLdmTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
};

ShapeLdmTrainResult trainShapeLdm(const ShapeLdmTrainOptions& opt);

}  // namespace fieldscope
