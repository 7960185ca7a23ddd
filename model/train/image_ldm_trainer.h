#pragma once
// `fieldscope train image-ldm`: trains the latent diffusion UNet on the latents of a trained VAE.
#include <cstdint>
#include <filesystem>
#include <string>

namespace fieldscope {

struct ImageLdmTrainOptions {
  std::filesystem::path vaePath, dataDir, out;
  std::string preset = "small";
  int64_t steps = 4000;
  int64_t batch = 32;
  double lr = 5e-4;
  uint64_t seed = 0;
  int64_t checkpointEvery = 250;
  bool resume = false;
  std::filesystem::path log;
  std::string commandLine;
  bool quiet = false;
};

struct ImageLdmTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
};

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& opt);

}  // namespace fieldscope
