#pragma once
// `fieldscope train sr-ldm`: the SR domain's conditioned latent diffusion model (docs/architecture.md
// "The super-resolution domain", "Training"; DESIGN §5.2). First a pool of training pairs is made
// from the photo crops: a random window of a crop, a random real scale in [1, maxTrainScale], its
// antialiased 8-bit downsampling and bicubic upsampling; the decoder-only latent of that
// (the condition) and the latent that makes the frozen decoder reproduce the window
// (sr_latent_inversion.h). Then the shared latent diffusion trainer learns the detail latent
// (target - condition) conditioned on the condition latent. The pool is the same for the same
// seed, so a resumed run rebuilds it exactly.
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/sr/sr_latent_inversion.h"
#include "model/train/training_loop.h"

namespace fieldscope {

struct SrLdmTrainOptions {
  TrainingRunOptions run{.steps = 4000, .checkpointEvery = 250};
  std::filesystem::path vaePath, dataDir;  // the sr-ae model file; the photo crop folder
  std::string preset = "small";
  int64_t batch = 32;
  double lr = 5e-4;
  int64_t pool = 2048;  // training pairs
  int unetChannels = 0;  // the UNet's base width; 0: the preset's
  int64_t window = 0;   // window side in pixels (a multiple of 16); 0: the autoencoder's crop size
  LatentInversion inversion;
};

struct SrLdmTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
  double inversionPsnrBefore = 0, inversionPsnrAfter = 0;  // the pool's decoded windows vs the crops
};

SrLdmTrainResult trainSrLdm(const SrLdmTrainOptions& opt);

}  // namespace fieldscope
