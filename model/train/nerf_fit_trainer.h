#pragma once
// `fieldscope fit nerf`: fits one scene's triplane and NeRF MLP to its posed pictures (docs/
// architecture.md "The NeRF domain", "Training"), on the shared training loop. Every step: a
// random batch of pixels of all training views, rendered with jittered stratified + importance
// samples, MSE against their colours, plus a small total-variation term on the planes. At the
// end the held-out test views are rendered and their PSNR goes into the model's metrics.
#include <nlohmann/json.hpp>

#include "model/nerf/nerf_config.h"
#include "model/nerf/nerf_views.h"
#include "model/train/training_loop.h"

namespace fieldscope {

struct NerfFitOptions {
  TrainingRunOptions run{.steps = 2000, .checkpointEvery = 250};
  std::string preset = "small";
  int64_t raysPerStep = 1024;
  double lr = 5e-3;          // the MLP's; the planes learn at planeLrFactor times it
  double planeLrFactor = 4;
  double tvWeight = 1e-4;
  nlohmann::json data;       // what the views came from, for the model's card
};

struct NerfFitResult {
  int64_t stepsDone = 0;
  bool interrupted = false;
  double seconds = 0;
  double testPsnr = 0;   // mean over the test views (dB)
  double trainPsnr = 0;  // of the last steps' batches
};

NerfFitResult fitNerfScene(const NerfFitOptions& o, const NerfViews& train, const NerfViews& test);

// The mean PSNR (dB) of the field's renders of `views` (deterministic samples).
struct NerfField;
double meanViewPsnr(const NerfField& field, const NerfViews& views);

}  // namespace fieldscope
