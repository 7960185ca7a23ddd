#pragma once
// `fieldscope train image-ldm`: trains the latent diffusion UNet on the latents of a trained VAE.
#include <cmath>
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
  // "emoji-groups" / "emoji-subgroups": a class-conditional UNet on the Unicode emoji group or
  // subgroup of each training picture (model/data/emoji_labels.h; the folder must be a `fieldscope
  // data emoji` set), for classifier-free guidance. Empty: unconditional.
  std::string classes;
  std::filesystem::path font = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
  std::filesystem::path emojiTest = "/usr/share/unicode/emoji/emoji-test.txt";
  double labelDropout = 0.1;
  double defaultGuidance = 2.0;  // stored in the file: the w the CLI and viewer start with
  std::filesystem::path initFrom;  // see LatentDiffusionTrainSpec::initFrom
  // The UNet's base width and residual blocks a level; 0: the preset's. For a larger UNet than the
  // preset's on a GPU (docs/gpu.md "Training the shipped models on a GPU"); stored in the file's config.
  int unetChannels = 0;
  int unetBlocks = 0;
  double emaDecay = 0.999;  // see LatentDiffusionTrainSpec::emaDecay
  std::string lossWeighting = "uniform";  // TimestepWeighting::parse's text
  // "auto": latents scaled to unit variance for this project's UNet, unscaled for the authors' (as
  // they train); "unit" / "none" force either (a stored switch: ldm.latent_scale).
  std::string latentScale = "auto";
  double gateStart = std::nan("");  // the authors' UNet's starting mixing logit; NaN: their -6
};

struct ImageLdmTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
};

ImageLdmTrainResult trainImageLdm(const ImageLdmTrainOptions& opt);

}  // namespace fieldscope
