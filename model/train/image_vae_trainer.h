#pragma once
// `fieldscope train image-vae`: trains the D2C-VAE on a folder of images (docs/architecture.md "Models").
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/image/image_vae_config.h"
#include "model/train/training_loop.h"

namespace fieldscope {

struct ImageVaeTrainOptions {
  // out, steps, seed, resume, stopAt, log...: what every trainer shares.
  TrainingRunOptions run{.steps = 3000, .checkpointEvery = 200};
  std::filesystem::path dataDir;
  std::string preset = "small";
  int64_t batch = 16;
  double lr = 1e-3;
  bool freezeEncoder = false;  // train decoder + readout only (the latent space stays fixed for an LDM)
  int readoutLayers = 0;       // modulated layers in each readout block; 0: the preset's (give the same on --resume)
};

// The VAE structure these options train: the preset, with --readout-layers applied.
ImageVaeConfig imageVaeTrainConfig(const ImageVaeTrainOptions& o);

struct ImageVaeTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double heldOutPsnr = 0;
  double seconds = 0;
};

// Writes run.out (the model) and `<out>.train` (model + optimizer state for --resume).
// Throws std::runtime_error with a message naming the file on bad input.
ImageVaeTrainResult trainImageVae(const ImageVaeTrainOptions& opt);

}  // namespace fieldscope
