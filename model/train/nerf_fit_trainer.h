#pragma once
// `fieldscope fit nerf` and `fieldscope train nerf-planes` (docs/architecture.md "The NeRF domain",
// "Training"), on the shared training loop. One scene: its triplane and the NeRF MLP fitted to its
// posed pictures. Several scenes: auto-decoding -- one triplane per scene and one MLP they all
// share (DDMI's first NeRF stage; the VAE and the diffusion model are trained on these planes).
// Every step: a random batch of pixels of the training views (split among a few random scenes),
// rendered with jittered stratified + importance samples, MSE against their colours, plus a
// small total-variation term on the planes. At the end the held-out test views are rendered and
// their PSNR goes into the model's metrics.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/nerf/nerf_config.h"
#include "model/nerf/nerf_view_psnr.h"
#include "model/nerf/nerf_views.h"
#include "model/train/training_loop.h"

namespace fieldscope {

struct NerfFitOptions {
  TrainingRunOptions run{.steps = 2000, .checkpointEvery = 250};
  std::string preset = "small";
  int planeResolution = 0;   // 0: the preset's
  int64_t raysPerStep = 1024;
  int scenesPerStep = 4;     // several scenes: the scenes each step's rays are split among
  int testViewsPerScene = 0; // the metric's test views of each scene (0: all)
  double lr = 5e-3;          // the MLP's; the planes learn at planeLrFactor times it
  double planeLrFactor = 4;
  double tvWeight = 1e-4;
  nlohmann::json data;       // what the views came from, for the model's card
};

struct NerfFitResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
  double testPsnr = 0;   // mean over the scenes' test views (dB)
  double trainPsnr = 0;  // of the last step's batch
};

// One scene: a model of kind "scene" (nerf_scene_io.h).
NerfFitResult fitNerfScene(const NerfFitOptions& o, const NerfViews& train, const NerfViews& test);
// Two or more scenes (auto-decoding): a model of kind "scene-set" (nerf_scene_set.h).
NerfFitResult fitNerfScenes(const NerfFitOptions& o, const std::vector<NerfSceneViews>& scenes);

}  // namespace fieldscope
