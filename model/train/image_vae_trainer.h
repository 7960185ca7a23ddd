#pragma once
// `fieldscope train image-vae`: trains the D2C-VAE on a folder of images (DESIGN.md §5.1).
#include <cstdint>
#include <filesystem>
#include <string>

namespace fieldscope {

struct ImageVaeTrainOptions {
  std::filesystem::path dataDir, out;
  std::string preset = "small";
  int64_t steps = 3000;
  int64_t batch = 16;
  double lr = 1e-3;
  uint64_t seed = 0;
  int64_t checkpointEvery = 200;
  bool resume = false;
  bool freezeEncoder = false;  // train decoder + readout only (the latent space stays fixed for an LDM)
  std::filesystem::path log;  // default: <out>.loss.csv
  std::string commandLine;    // recorded in the checkpoint
  bool quiet = false;         // no progress bar (tests)
  int64_t stopAt = -1;        // stop as on Ctrl-C when this step is reached (tests)
};

struct ImageVaeTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double heldOutPsnr = 0;
  double seconds = 0;
};

// Writes `out` (the model) and `<out>.train` (model + optimizer state for --resume).
// Throws std::runtime_error with a message naming the file on bad input.
ImageVaeTrainResult trainImageVae(const ImageVaeTrainOptions& opt);

}  // namespace fieldscope
