#pragma once
// `fieldscope train video-ldm`: the latent diffusion model over a trained video VAE's rolled latents
// (docs/architecture.md "The video domain", "Training"); the shared trainer does the work.
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/train/training_loop.h"

namespace fieldscope {

struct VideoLdmTrainOptions {
  TrainingRunOptions run{.steps = 4000, .checkpointEvery = 250};
  std::filesystem::path vaePath, dataDir;
  std::string preset = "small";
  int64_t batch = 32;
  double lr = 5e-4;
};

struct VideoLdmTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
};

VideoLdmTrainResult trainVideoLdm(const VideoLdmTrainOptions& opt);

}  // namespace fieldscope
