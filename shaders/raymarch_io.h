#ifndef FIELDSCOPE_RAYMARCH_IO_H
#define FIELDSCOPE_RAYMARCH_IO_H
// The grid ray-marchers' uniform block (std140, binding 3 of raymarch_grid.comp and of
// raymarch_volume.comp) and the coarse max-grid pass's push constants, declared once for GLSL
// and C++ (render/grid_raymarcher.cpp and the CPU twins render/raymarch_cpu.cpp,
// render/volume_march_cpu.cpp).
#include "shader_io.h"

SHADERIO_BEGIN

// Empty-space skipping: one coarse cell covers RAYMARCH_SKIP_CELL^3 voxels.
#define RAYMARCH_SKIP_CELL 8
#define RAYMARCH_FLAG_CLIP 1
#define RAYMARCH_FLAG_NO_SKIP 2  // march every step (benchmarks and tests of the skipping)
// What a hit pixel shows (marchInfo.w): the studio-lit surface, its normal as a colour
// (n * 0.5 + 0.5), or its distance from the camera (grey, near = light, over the box's depth).
#define RAYMARCH_MODE_SHADED 0
#define RAYMARCH_MODE_NORMALS 1
#define RAYMARCH_MODE_DEPTH 2

// The emission-absorption marcher over a density + colour grid (raymarch_volume.comp; the
// compositing is spelled out in render/volume_raymarcher.h). It reads RaymarchUniforms with
// the same camera, gridMap, background, clip plane, sizeInfo (W, H, n, flags: CLIP, NO_SKIP)
// and forward.w (the step, voxels); marchInfo = (coarse cells, max samples per ray, unused,
// mode); up.w, the lights, material, specular and cutFace are not read.
#define VOLUME_MODE_COLOUR 0   // C + T * background
#define VOLUME_MODE_DEPTH 1    // expected depth as grey (near = light) where opacity >= 0.5
#define VOLUME_MODE_OPACITY 2  // white at opacity 1 - T over the background
// A coarse cell whose maximum sigma is at most this is skipped (it absorbs < 1e-6 per unit).
#define VOLUME_SKIP_SIGMA 1e-6
#define VOLUME_MIN_TRANSMITTANCE 1e-4  // early ray termination: stop once T < this
#define VOLUME_DEPTH_MIN_OPACITY 0.5   // depth mode: background where 1 - T < this

struct RaymarchUniforms {
  vec4 origin;      // camera origin (world) xyz, w: tan(fovY / 2)
  vec4 right;       // camera right (unit) xyz, w: aspect W / H
  vec4 up;          // camera up (unit) xyz, w: iso-level (inside: field > iso)
  vec4 forward;     // camera forward (unit) xyz, w: march step (voxels)
  vec4 gridMap;     // world p -> voxel coordinate g = p * x + y (voxel centres at integers); z: box half extent
  vec4 clipPlane;   // (n, d): points with dot(n, p) + d > 0 are ignored when flags & RAYMARCH_FLAG_CLIP; |n| = 1
  vec4 keyLight;    // unit direction towards the key light (world) xyz, w: intensity
  vec4 fillLight;   // unit direction towards the fill light (world) xyz, w: intensity
  vec4 material;    // albedo rgb, w: ambient
  vec4 specular;    // x: strength, y: shininess (Blinn-Phong, half vector with the key light)
  vec4 background;  // rgba in 0..1 for rays that hit nothing
  vec4 cutFace;     // rgb: albedo of the faces the clip plane makes (told apart from the surface), w: unused
  ivec4 sizeInfo;   // image W, H, grid n, flags
  ivec4 marchInfo;  // coarse cells per axis, max march iterations, bisection steps, render mode
};

struct RaymarchCoarsePush {
  ivec4 sizeInfo;   // grid n, coarse cell size (voxels), coarse cells per axis, channels per voxel (1 or 4)
};

SHADERIO_END

#ifdef __cplusplus
static_assert(offsetof(fieldscope::shaderio::RaymarchUniforms, origin) == 0);
static_assert(offsetof(fieldscope::shaderio::RaymarchUniforms, gridMap) == 64);
static_assert(offsetof(fieldscope::shaderio::RaymarchUniforms, background) == 160);
static_assert(offsetof(fieldscope::shaderio::RaymarchUniforms, cutFace) == 176);
static_assert(offsetof(fieldscope::shaderio::RaymarchUniforms, sizeInfo) == 192);
static_assert(offsetof(fieldscope::shaderio::RaymarchUniforms, marchInfo) == 208);
static_assert(sizeof(fieldscope::shaderio::RaymarchUniforms) == 224);
static_assert(sizeof(fieldscope::shaderio::RaymarchCoarsePush) == 16);
#endif

#endif
