#version 450
#extension GL_GOOGLE_include_directive : require
// The ray-marcher's acceleration grid: for each coarse cell of S^3 voxels, over the voxels its
// trilinear field reads (S + 1 per axis: the far neighbours too)
//  - the maximum: a cell whose maximum is at or below the iso-level holds no surface;
//  - the largest difference between neighbouring voxels: it bounds the field's gradient there
//    (|grad| <= sqrt(3) * that, per voxel), so the march may step (iso - f) / bound safely.
// Neither depends on the iso-level: rebuilt only when the baked grid changes.
// A grid of several channels per voxel (channels last: the volume marcher's (sigma, r, g, b))
// is summarised by its first channel (sigma: a cell whose maximum is ~0 absorbs nothing).
#include "raymarch_io.h"

layout(local_size_x = 4, local_size_y = 4, local_size_z = 4) in;

layout(std430, binding = 0) readonly buffer Grid { float grid[]; };      // n^3 x channels, [z][y][x][c]
layout(std430, binding = 1) writeonly buffer Coarse { vec2 coarse[]; };   // cells^3: max, max difference
layout(push_constant) uniform Push { RaymarchCoarsePush pc; };

void main() {
  int n = pc.sizeInfo.x, S = pc.sizeInfo.y, cells = pc.sizeInfo.z, ch = pc.sizeInfo.w;
  ivec3 c = ivec3(gl_GlobalInvocationID);
  if (any(greaterThanEqual(c, ivec3(cells)))) return;
  ivec3 first = c * S, last = min(first + S, ivec3(n - 1));
  float m = -3.0e38, diff = 0.0;
  for (int z = first.z; z <= last.z; ++z)
    for (int y = first.y; y <= last.y; ++y)
      for (int x = first.x; x <= last.x; ++x) {
        int i = ((z * n + y) * n + x) * ch;
        float v = grid[i];
        m = max(m, v);
        if (x < last.x) diff = max(diff, abs(grid[i + ch] - v));
        if (y < last.y) diff = max(diff, abs(grid[i + n * ch] - v));
        if (z < last.z) diff = max(diff, abs(grid[i + n * n * ch] - v));
      }
  coarse[(c.z * cells + c.y) * cells + c.x] = vec2(m, diff);
}
