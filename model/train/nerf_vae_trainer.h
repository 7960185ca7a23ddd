#pragma once
// `fieldscope train nerf-vae` (docs/architecture.md "The NeRF domain", "Training"): the NeRF VAE
// (model/nerf/nerf_vae.h) trained on a scene set's fitted triplanes (`train nerf-planes`). Every
// step: a batch of the set's planes encoded, a latent drawn from each posterior, decoded; the loss
// is the planes' MSE (in units of their variance) + the volume-rendered colours of a few of the
// scenes' training pixels through the set's shared MLP (frozen) + a small KL. At the end each
// scene's posterior mean is decoded and its test views rendered (the VAE's PSNR beside the fitted
// planes'); the model file also carries those posterior means and deviations (the latent diffusion
// model's training set).
#include <filesystem>
#include <string>
#include <vector>

#include "model/nerf/nerf_views.h"
#include "model/train/training_loop.h"

namespace fieldscope {

struct NerfVaeTrainOptions {
  TrainingRunOptions run{.steps = 3000, .checkpointEvery = 250};
  std::filesystem::path planesPath;  // the scene set
  int64_t batch = 8;                 // scenes a step
  int64_t renderRays = 512;          // pixels a step for the rendered-colour term (0: planes only)
  int renderScenes = 2;              // of the batch's scenes, rendered each step
  double renderWeight = 1;
  int vaeChannels = 32, latentChannels = 4;
  double klWeight = 1e-4;
  double lr = 1e-3;
  int testViewsPerScene = 3;
};

struct NerfVaeTrainResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
  double fittedTestPsnr = 0;  // the set's own planes (dB, mean over scenes)
  double vaeTestPsnr = 0;     // the VAE's reconstructions of them
};

// `setFile`: the scene set at o.planesPath, loaded; `scenes` are its scenes' views in its order
// (names checked).
struct Checkpoint;
NerfVaeTrainResult trainNerfVae(const NerfVaeTrainOptions& o, const Checkpoint& setFile,
                                const std::vector<NerfSceneViews>& scenes);

}  // namespace fieldscope
