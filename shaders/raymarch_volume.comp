#version 450
#extension GL_GOOGLE_include_directive : require
// Emission-absorption ray marching through a baked n^3 density + colour grid (NeRF; the
// compositing contract is in render/volume_raymarcher.h, docs/architecture.md "The 3D view's
// parts"): samples at t0 + (k + 0.5) dt inside the box, trilinear (sigma, r, g, b),
// alpha = 1 - exp(-max(sigma, 0) dt), front-to-back compositing, early termination once
// T < VOLUME_MIN_TRANSMITTANCE. Coarse cells whose maximum sigma is ~0 contribute nothing: the
// march jumps to the first sample of the same lattice beyond the cell, so skipping changes no
// sample. render/volume_march_cpu.cpp is the same model on the CPU: change both together.
#include "raymarch_io.h"

layout(local_size_x = 8, local_size_y = 8) in;

layout(std430, binding = 0) writeonly buffer Out { uint outPixels[]; };  // W*H packed RGBA8
layout(std430, binding = 1) readonly buffer Grid { vec4 grid[]; };       // n^3 (sigma, r, g, b), [z][y][x]
layout(std430, binding = 2) readonly buffer Coarse { vec2 coarse[]; };  // per coarse cell: max sigma, unused
layout(std140, binding = 3) uniform Params { RaymarchUniforms u; };

#include "raymarch_common.h"

vec4 voxel(ivec3 i, int n) { return grid[(i.z * n + i.y) * n + i.x]; }

RAYMARCH_TRILINEAR(vec4, field, voxel)

void main() {
  ivec2 pix = ivec2(gl_GlobalInvocationID.xy);
  if (pix.x >= u.sizeInfo.x || pix.y >= u.sizeInfo.y) return;
  int outIndex = pix.y * u.sizeInfo.x + pix.x;

  vec3 o = u.origin.xyz, d = cameraRay(pix);
  vec2 span = boxInterval(o, d);
  outPixels[outIndex] = packRgba8(u.background);
  if (span.x >= span.y) return;

  vec3 go = o * u.gridMap.x + u.gridMap.y, gd = d * u.gridMap.x, invGd = 1.0 / gd;
  float dt = u.forward.w / u.gridMap.x;  // stepVoxels * 2h / n
  bool skip = (u.sizeInfo.w & RAYMARCH_FLAG_NO_SKIP) == 0;
  float T = 1.0, D = 0.0;
  vec3 C = vec3(0.0);
  int k = 0;
  while (k < u.marchInfo.y) {
    float t = span.x + (float(k) + 0.5) * dt;
    if (t >= span.y) break;
    vec3 p = o + t * d;
    vec3 g = p * u.gridMap.x + u.gridMap.y;
    if (skip) {
      ivec3 c = coarseCellOf(g);
      if (coarse[coarseIndex(c)].x <= VOLUME_SKIP_SIGMA) {
        // Every sample up to the cell's exit adds nothing: on to the first one beyond it.
        float tLeave = coarseCellExit(c, go, gd, invGd, t);
        k = max(k + 1, int(floor((tLeave - span.x) / dt - 0.5)) + 1);
        continue;
      }
    }
    ++k;
    if (clipped(p)) continue;
    vec4 s = field(g);
    float alpha = 1.0 - exp(-max(s.x, 0.0) * dt);
    float w = T * alpha;
    C += w * clamp(s.yzw, 0.0, 1.0);
    D += w * t;
    T *= 1.0 - alpha;
    if (T < VOLUME_MIN_TRANSMITTANCE) break;
  }

  float opacity = 1.0 - T;
  if (u.marchInfo.w == VOLUME_MODE_DEPTH) {
    if (opacity < VOLUME_DEPTH_MIN_OPACITY) return;  // the background
    float r = 1.7320508 * u.gridMap.z;  // as the iso-surface depth mode: over the box's bounding sphere
    float depth = clamp((D / max(opacity, 1e-6) - (length(o) - r)) / (2.0 * r), 0.0, 1.0);
    outPixels[outIndex] = packRgba8(vec4(vec3(1.0 - depth), 1.0));
    return;
  }
  vec3 rgb = u.marchInfo.w == VOLUME_MODE_OPACITY ? vec3(opacity) : C;
  outPixels[outIndex] = packRgba8(vec4(rgb + T * u.background.rgb, opacity + T * u.background.a));
}
