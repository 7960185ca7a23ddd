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

}  // namespace fieldscope
