#pragma once
// shaders/raymarch_grid.comp on the CPU: the same rays, trilinear field, march, bisection,
// normal and studio light, fed the same uniform block (render/raymarch_settings.h), in plain C++
// (no torch, no Vulkan; docs/architecture.md "The shape domain"). The tests use it as the shader's
// reference, and `fieldscope sample -o view.png --camera` renders with it where there may be no
// Vulkan device. It marches every step (no empty-space skipping), so a skipping bug in the shader
// shows as a difference.
#include <cstdint>
#include <vector>

#include "shaders/raymarch_io.h"

namespace fieldscope {

// grid: n^3 floats, [z][y][x], n = u.sizeInfo.z. Returns W*H packed RGBA8 (R in the low byte),
// top row first -- the layout of OffscreenImage::readback(). Rows are shared among `threads`.
std::vector<uint8_t> raymarchOnCpu(const shaderio::RaymarchUniforms& u, const float* grid, int threads = 1);

}  // namespace fieldscope
