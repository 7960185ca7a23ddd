#pragma once
// Posed pictures of one scene as tensors (docs/architecture.md "The NeRF domain"): what fitting
// trains on and what the test-view PSNR is measured on. nerf_dataset.h makes them from a
// NeRF-synthetic folder.
#include <torch/types.h>

#include <string>
#include <vector>

#include "model/nerf/ray_camera.h"

namespace fieldscope {

struct NerfViews {
  torch::Tensor images;  // (V, H, W, 3) float32 in [0, 1], composited over the background
  std::vector<RayCamera> cameras;  // V
  int width() const { return int(images.size(2)); }
  int height() const { return int(images.size(1)); }
  int64_t count() const { return images.size(0); }
};

// One scene's posed pictures: its name (its folder's), training views and held-out test views
// (test may be empty: zero views).
struct NerfSceneViews {
  std::string name;
  NerfViews train, test;
};

// Every pixel's ray of every view and its colour: origins, directions, colours (V H W, 3).
struct RayBatch {
  Rays rays;
  torch::Tensor colours;
};
RayBatch allRays(const NerfViews& views);

// Peak signal-to-noise ratio (dB) of two pictures in [0, 1].
double psnrDb(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace fieldscope
