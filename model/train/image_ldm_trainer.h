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
  // "emoji-groups": a class-conditional UNet on the Unicode emoji group of each training picture
  // (model/data/emoji_labels.h; the folder must be a `fieldscope data emoji` set), for
  // classifier-free guidance. Empty: unconditional.
  std::string classes;
  std::filesystem::path font = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
  std::filesystem::path emojiTest = "/usr/share/unicode/emoji/emoji-test.txt";
  double labelDropout = 0.1;
  double defaultGuidance = 2.0;  // stored in the file: the w the CLI and viewer start with
  std::filesystem::path initFrom;  // see LatentDiffusionTrainSpec::initFrom
};

struct ImageLdmTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
};

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& opt);

}  // namespace fieldscope
