#pragma once
// The CPU reference of shaders/raymarch_grid.comp: the same rays, trilinear field, march,
// bisection, normal and studio light, fed the same uniform block (render/raymarch_settings.h),
// in plain C++ (no torch, no Vulkan). It marches every step (no empty-space skipping), so a
// skipping bug in the shader shows as a difference.
#include <cstdint>
#include <vector>

#include "shaders/raymarch_io.h"

namespace fieldscope {

// grid: n^3 floats, [z][y][x], n = u.sizeInfo.z. Returns W*H packed RGBA8 (R in the low byte),
// top row first -- the layout of OffscreenImage::readback().
std::vector<uint8_t> raymarchReference(const shaderio::RaymarchUniforms& u, const float* grid);

}  // namespace fieldscope
