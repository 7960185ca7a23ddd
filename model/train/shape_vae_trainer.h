#pragma once
// `fieldscope train shape-vae`: trains the shape VAE (point cloud -> triplane latent -> occupancy) on a
// shape dataset folder (docs/architecture.md "Models", "Training").
#include <cstdint>
#include <filesystem>
#include <string>

#include "model/train/training_loop.h"

namespace fieldscope {

struct ShapeVaeTrainOptions {
  TrainingRunOptions run{.steps = 3000, .checkpointEvery = 200};
  std::filesystem::path dataDir;
  std::string preset = "small";
  int64_t batch = 16;
  double lr = 1e-3;
};

struct ShapeVaeTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double heldOutIoU = 0;
  double seconds = 0;
};

ShapeVaeTrainResult trainShapeVae(const ShapeVaeTrainOptions& opt);

}  // namespace fieldscope
