#pragma once
// `fieldscope train video-vae`: trains the video VAE (clip -> rolled triplane latent -> colour field)
// on a clip data set folder (docs/architecture.md "The video domain", "Training").
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/train/training_loop.h"

namespace fieldscope {

struct VideoVaeTrainOptions {
  TrainingRunOptions run{.steps = 3000, .checkpointEvery = 200};
  std::filesystem::path dataDir;
  std::string preset = "small";
  int64_t batch = 8;
  double lr = 1e-3;
  int frameStride = 1;  // 2: train on the even frames only (the odd ones are never seen)
};

struct VideoVaeTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double heldOutPsnr = 0;  // dB, every frame of up to 16 held-out clips
  double seconds = 0;
};

VideoVaeTrainResult trainVideoVae(const VideoVaeTrainOptions& opt);

}  // namespace fieldscope
