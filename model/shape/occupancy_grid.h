#pragma once
// Baking an occupancy field into a dense grid (docs/architecture.md "Data flow of one decode"): the viewer ray-marches the grid
// every frame and marching cubes reads it, so the MLP runs once per sample and resolution.
#include <torch/types.h>

#include <atomic>
#include <functional>

#include "model/shape/occupancy_decoder.h"

namespace fieldscope {

struct BakeOptions {
  int64_t chunkPoints = 0;              // 0: 1<<15 on the CPU, 1<<20 on CUDA
  // Coarse to fine on the CPU (model/shape/refined_field.h): exact in the coarse cells whose corners
  // reach into [bandLo, bandHi] and their neighbours, trilinear elsewhere. stride 0: RefinedFieldPlanes::autoStride;
  // 1: every voxel exact. A CUDA bake is always dense (it is fast there).
  int64_t stride = 0;
  float bandLo = -5.0f, bandHi = 5.0f;  // logits of p = 0.0067 .. 0.9933: the iso slider's range and more
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(double)> progress;  // fraction done, after each chunk
};

// Voxel centre (i, j, k) -> point (x, y, z) = -b + (k + 0.5) * 2b / n, etc. `out`: n x n x n float32
// (z, y, x order: out[i][j][k] is z_i, y_j, x_k), contiguous, on the CPU or the fields' device.
// Writes logits in place, chunk by chunk (dense) or plane by plane (coarse to fine). Returns false when cancelled (out is then partial).
bool bakeOccupancy(OccupancyDecoder& decoder, const TriplaneFields& fields, int64_t n, torch::Tensor out,
                   const BakeOptions& options = {});

// The voxel-centre coordinate of index `index` along an axis of n voxels over [-bound, bound].
inline double voxelCentre(int64_t index, int64_t n, double bound) { return -bound + (index + 0.5) * 2.0 * bound / n; }

}  // namespace fieldscope
