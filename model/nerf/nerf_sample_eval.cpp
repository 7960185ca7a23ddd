#include "model/nerf/nerf_sample_eval.h"

#include <torch/torch.h>

#include "model/nerf/nerf_view_psnr.h"

namespace fieldscope {

SampledSceneScore scoreSampledScene(const NerfField& sample, const std::vector<NerfSceneViews>& scenes, int64_t views) {
  SampledSceneScore best;
  double bestFirst = -1;
  for (size_t i = 0; i < scenes.size(); ++i) {
    if (scenes[i].test.count() == 0) continue;
    const double first = meanViewPsnr(sample, scenes[i].test, 1);
    if (first > bestFirst) {
      bestFirst = first;
      best.nearest = int64_t(i);
    }
  }
  if (best.nearest >= 0) best.psnrDb = meanViewPsnr(sample, scenes[size_t(best.nearest)].test, views);
  return best;
}

}  // namespace fieldscope
