#include "model/nerf/nerf_dataset.h"

#include <torch/torch.h>

namespace fieldscope {

NerfViews nerfViewsFromSplit(const NerfSplit& split) {
  NerfViews v;
  const int64_t count = int64_t(split.views.size());
  v.images = torch::from_blob(const_cast<float*>(split.rgb.data()), {count, split.height, split.width, 3}, torch::kFloat32).clone();
  for (const NerfFrame& view : split.views) {
    v.cameras.push_back(cameraFromPose(view.cameraToWorld, split.cameraAngleX, split.width, split.height));
  }
  return v;
}

NerfViews loadNerfViews(const std::filesystem::path& folder, const std::string& split, const NerfLoadOptions& options) {
  return nerfViewsFromSplit(loadNerfSplit(folder, split, options));
}

NerfSceneViews loadNerfSceneViews(const std::filesystem::path& folder, const NerfLoadOptions& options) {
  const bool haveTest = std::filesystem::exists(nerfTransformsPath(folder, "test"));
  return {folder.filename().string(), loadNerfViews(folder, "train", options),
          haveTest ? loadNerfViews(folder, "test", options) : NerfViews{torch::empty({0, 1, 1, 3}), {}}};
}

}  // namespace fieldscope
