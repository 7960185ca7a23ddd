#pragma once
// A NeRF-synthetic scene folder as tensors (docs/architecture.md "The NeRF domain"): the split's
// pictures (model/scene_data/nerf_split.h, torch-free) wrapped as (V, H, W, 3) and each pose as a
// RayCamera.
#include <filesystem>
#include <string>

#include "model/nerf/nerf_views.h"
#include "model/scene_data/nerf_split.h"

namespace fieldscope {

NerfViews nerfViewsFromSplit(const NerfSplit& split);
// loadNerfSplit + nerfViewsFromSplit; throws naming the JSON (and the frame) as the loader does.
NerfViews loadNerfViews(const std::filesystem::path& folder, const std::string& split, const NerfLoadOptions& options = {});
// The folder's training views, and its test views when it has transforms_test.json (else none).
NerfSceneViews loadNerfSceneViews(const std::filesystem::path& folder, const NerfLoadOptions& options = {});

}  // namespace fieldscope
