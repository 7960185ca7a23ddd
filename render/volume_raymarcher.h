#pragma once
// VolumeRaymarcher: the 3D view's emission-absorption pass over a density + colour grid (NeRF;
// docs/architecture.md "The 3D view's parts"). It is GridRaymarcher with the volume shaders
// (shaders/raymarch_volume.comp; the skipping grid from raymarch_coarse.comp over the sigma
// channel): the same record() into an OffscreenImage, dispatch() into a buffer for export bands,
// per-frame-slot resources and uniforms (raymarchUniforms / raymarchUniformsForRows with
// RaymarchSettings::renderMode one of VOLUME_MODE_*). render/volume_march_cpu.h is its CPU twin.
//
// The grid: n^3 voxels x 4 float32 (sigma, r, g, b), [z][y][x][c] (one vec4 a voxel), voxel
// centres as RaymarchGridGeometry says, over [-h, h]^3. sigma is a density per world unit, rgb
// in [0, 1]. The compositing, exactly (a torch renderer of the same math must agree with it):
//  - ray p(t) = o + t d (d unit); [t0, t1] the ray's interval in the box, t0 >= 0; none: the
//    background.
//  - dt = stepVoxels * 2h / n (RaymarchSettings::stepVoxels, default 0.5); samples at
//    t_k = t0 + (k + 0.5) dt for k = 0, 1, ... while t_k < t1 (at most maxIterations samples).
//  - per sample: trilinear (sigma, r, g, b) at g = p * gridMap.x + gridMap.y, g clamped to
//    [0, n - 1]; samples cut away by the clip plane (if on) add nothing; sigma' = max(sigma, 0),
//    rgb clamped to [0, 1]; alpha = 1 - exp(-sigma' dt); C += T alpha rgb; D += T alpha t_k;
//    T *= 1 - alpha; stop once T < 1e-4 (T starts at 1).
//  - VOLUME_MODE_COLOUR:  rgb = C + T * background.rgb.
//    VOLUME_MODE_OPACITY: rgb = (1 - T) * white + T * background.rgb (white composited at the
//                         ray's opacity).
//    In both, alpha = (1 - T) + T * background.a.
//    VOLUME_MODE_DEPTH:   where 1 - T >= 0.5, the expected depth z = D / max(1 - T, 1e-6) as the
//                         iso-surface depth mode maps distance: grey 1 - clamp((z - (|o| - r)) /
//                         2r, 0, 1), r = sqrt(3) h (near = light), alpha 1; elsewhere the
//                         background.
//  - Empty-space skipping (off with RaymarchSettings::skipEmptySpace = false): a sample in a
//    coarse cell (8^3 voxels plus the one-voxel border trilinear reads touch) whose maximum
//    sigma is <= 1e-6 jumps to the first lattice sample t_k beyond the cell's exit; the samples
//    stay on the t0 + (k + 0.5) dt lattice, so the picture is the every-sample one up to float
//    rounding (and the < 1e-6 densities skipped).
#include "render/grid_raymarcher.h"

namespace fieldscope {

class VolumeRaymarcher : public GridRaymarcher {
 public:
  explicit VolumeRaymarcher(const VulkanContext& ctx) : GridRaymarcher(ctx, GridFormat::DensityColour) {}
};

}  // namespace fieldscope
