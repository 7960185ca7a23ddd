#pragma once
// How good sampled NeRF scenes are (docs/architecture.md "The NeRF domain"): a sampled scene has no
// pictures of its own, so each one is compared with the training scenes it came from -- rendered
// at a scene's test cameras, PSNR against that scene's test pictures; its nearest scene is the one
// it matches best at the first test view, and its score is the mean over `views` test views of
// that scene. High means the sample is a clean scene of the set's kind (or a copy of one: the
// nearest scene's index says which); low means a smeared or broken one.
#include <cstdint>
#include <vector>

#include "model/nerf/nerf_field.h"
#include "model/nerf/nerf_views.h"

namespace fieldscope {

struct SampledSceneScore {
  int64_t nearest = -1;  // index into the scenes
  double psnrDb = 0;     // against the nearest scene's test views
};

SampledSceneScore scoreSampledScene(const NerfField& sample, const std::vector<NerfSceneViews>& scenes, int64_t views);

}  // namespace fieldscope
