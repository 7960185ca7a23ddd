#pragma once
// A user's OBJ mesh as a grid the 3D view can ray-march next to the model's reconstruction of it
// (docs/architecture.md "The shape domain"): inside/outside at the voxel centres by the generalized
// winding number (slightly open meshes work), in the model's frame (normalised to the unit cube, as
// the encoder sees it), smoothed by a one-voxel Gaussian so the surface is not a staircase (each
// voxel kept on its label's side, so walls thinner than the blur stay), as
// logit-like values (0 on the surface, +-6 well inside and outside), so the iso-level slider reads
// it like the occupancy grid beside it.
#include <torch/types.h>

#include <atomic>
#include <filesystem>
#include <functional>

namespace fieldscope {

// n x n x n float32 over [-bound, bound]^3, [z][y][x]. Throws std::runtime_error naming the file.
// An undefined tensor when `cancel` became true. `progress` gets 0..1.
torch::Tensor meshOccupancyGrid(const std::filesystem::path& obj, int64_t n, double bound, int threads,
                                const std::atomic<bool>* cancel = nullptr,
                                const std::function<void(float)>& progress = {});

}  // namespace fieldscope
