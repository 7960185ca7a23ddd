#pragma once
// The torch twin of the 3D view's emission-absorption marcher (shaders/raymarch_volume.comp,
// docs/architecture.md "The 3D view's parts"): a baked density + colour grid (n, n, n, 4) --
// (sigma, r, g, b) at voxel centres, [z][y][x], over [-bound, bound]^3 -- marched with the
// shader's exact rule: samples at t0 + (k + 1/2) dt, dt = stepVoxels 2 bound / n, trilinear
// reads clamped to the voxel centres, alpha = 1 - exp(-max(sigma, 0) dt), rgb clamped to [0, 1],
// stop once the transmittance is below 1e-4. So a grid rendered here and by the shader agree to
// float rounding, and a grid render compares with the MLP's render (volume_render.h) by PSNR.
#include <torch/types.h>

#include <array>

#include "model/nerf/ray_camera.h"
#include "model/nerf/volume_render.h"

namespace fieldscope {

inline constexpr double kGridMarchStopTransmittance = 1e-4;

RenderedRays renderGridRays(const torch::Tensor& grid, double bound, const Rays& rays, double stepVoxels,
                            const std::array<float, 3>& background, int64_t chunkRays = 4096);

}  // namespace fieldscope
