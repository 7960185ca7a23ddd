#pragma once
// `fieldscope train sr-ae`: trains the super-resolution autoencoder and its implicit neural
// decoder on a photo crop folder (docs/architecture.md "The super-resolution domain",
// "Training"). Every step: random crops, each degraded to a random real scale in
// [1, maxTrainScale] (antialiased bicubic, 8-bit) and brought back by bicubic upsampling; the
// autoencoder encodes that, and the LIIF head renders the feature map at a random output size
// between 1x and 4x the latent (one size per batch) against the crop resized to that size; MSE (or L1, the authors', with --loss l1).
// So the decoder alone is a learned super-resolver (the `--decoder-only` path), and the latent
// of a photo is what the conditioned diffusion model later refines.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "model/sr/sr_eval.h"
#include "model/train/training_loop.h"

namespace fieldscope {

struct SrAeTrainOptions {
  TrainingRunOptions run{.steps = 3000, .checkpointEvery = 200};
  std::filesystem::path dataDir;
  std::string preset = "small";
  int64_t batch = 16;
  double lr = 5e-4;
  double identityFraction = 0.05;  // of batches at scale 1 (plain reconstruction)
  std::string loss = "l2";        // "l1" (the authors') or "l2" (what PSNR measures)
  int decoderBlocks = 0;          // decoder blocks a level; 0: the preset's
  // A trained SR autoencoder to start from (sr_ae_grow.h): the same sizes, or fewer decoder blocks.
  std::filesystem::path initFrom;
};

struct SrAeTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  SrEvaluation heldOut;
  double seconds = 0;
};

// The held-out scales every SR evaluation reports.
const std::vector<double>& srEvalScales();

SrAeTrainResult trainSrAutoencoder(const SrAeTrainOptions& opt);

// {"crops", "by_scale": [{"scale", "bicubic_psnr_db", ..., "decoder_lr_consistency_psnr_db"}]}:
// what a checkpoint's metrics and `eval sr` hold.
nlohmann::json srScoresJson(const SrEvaluation& ev);

}  // namespace fieldscope
