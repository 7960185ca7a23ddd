#pragma once
// `fieldscope train sr-align`: the second stage of the SR diffusion training (DESIGN §5.2;
// docs/architecture.md "The super-resolution domain"). Starting from an sr-ldm model, the UNet is
// fine-tuned with the frozen decoder in the loop: besides the denoising loss, the predicted clean
// latent x̂₀ is decoded (gradients flow through the decoder into the UNet) and compared with the
// high-resolution window, weighted by min(SNR, cap) -- so what the UNet learns is what the decoder
// turns into the picture, not only the latent. The training pairs are made as for sr-ldm
// (model/train/sr_training_pairs.h); the latent and condition scales stay the model's.
#include <cstdint>
#include <filesystem>

#include "model/sr/sr_latent_inversion.h"
#include "model/train/training_loop.h"

namespace fieldscope {

struct SrAlignTrainOptions {
  TrainingRunOptions run{.steps = 1000, .checkpointEvery = 100};
  std::filesystem::path modelPath, dataDir;  // an sr-ldm model file; the photo crop folder
  int64_t batch = 16;
  double lr = 5e-5;
  int64_t pool = 512;    // training pairs
  int64_t window = 0;    // window side in pixels; 0: the sr-ldm training's
  double imageWeight = 100;   // of the image MSE (pixels in [-1, 1]) beside the denoising loss
  double snrCap = 5;
  LatentInversion inversion{.steps = 16, .stepSize = 0.1};
};

struct SrAlignTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
  // The pool's windows decoded from x̂₀ at fixed noise levels (t = 100, 300, 500, one noise draw),
  // PSNR against the windows: with the model's UNet before and the aligned one after.
  double x0PsnrBefore = 0, x0PsnrAfter = 0;
};

SrAlignTrainResult trainSrAlign(const SrAlignTrainOptions& opt);

}  // namespace fieldscope
