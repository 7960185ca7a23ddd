#pragma once
// shaders/raymarch_volume.comp on the CPU: the emission-absorption march through a density +
// colour grid (the compositing of render/volume_raymarcher.h), fed the same uniform block
// (raymarchUniforms with a VOLUME_MODE_* render mode), in plain C++ (no torch, no Vulkan). The
// tests use it as the shader's reference. It marches every sample (no empty-space skipping), so
// a skipping bug in the shader shows as a difference.
#include <cstdint>
#include <vector>

#include "shaders/raymarch_io.h"

namespace fieldscope {

// grid: n^3 x 4 floats (sigma, r, g, b), [z][y][x][c], n = u.sizeInfo.z. Returns W*H packed
// RGBA8 (R in the low byte), top row first -- the layout of OffscreenImage::readback(). Rows
// are shared among `threads`.
std::vector<uint8_t> volumeMarchOnCpu(const shaderio::RaymarchUniforms& u, const float* grid, int threads = 1);

// The empty-space skipping of the shader on the CPU (the command line's baked pictures and
// videos): the largest density of every RAYMARCH_SKIP_CELL^3 cell and the one-voxel border its
// trilinear reads touch. A sample in a cell whose maximum is <= 1e-6 adds nothing, so the march
// jumps to the first sample of its lattice past the cell -- the picture is the full march's.
struct VolumeSkipGrid {
  int n = 0, cells = 0;
  std::vector<float> maxSigma;  // cells^3, [z][y][x]
};
VolumeSkipGrid volumeSkipGrid(const float* grid, int n);
std::vector<uint8_t> volumeMarchOnCpu(const shaderio::RaymarchUniforms& u, const float* grid, const VolumeSkipGrid& skip,
                                      int threads);

}  // namespace fieldscope
