#version 450
#extension GL_GOOGLE_include_directive : require
// The compositor: draws the visible region every frame from what torch already decoded.
//  - the exact layer (the viewport's own pixel grid, decoded when the view is still), for
//    the rows that have landed;
//  - elsewhere the tile table: for every visible tile of the target level, the finest
//    decoded ancestor (levelDelta >= 0), sampled bilinearly (or nearest) from the atlas.
// Kept small and rolled: lavapipe compiles shaders at the first submit (docs/architecture.md "Performance facts").
// Writes a plain buffer (then copied into the viewport image), and unpacks texels with
// integer ops: both measured much cheaper on lavapipe than image stores / unpackUnorm4x8.
#include "compose_io.h"

layout(local_size_x = 16, local_size_y = 16) in;

layout(std430, binding = 0) writeonly buffer Out { uint outPixels[]; };  // W*H packed RGBA8
layout(std430, binding = 1) readonly buffer Atlas { uint atlas[]; };     // slots of T*T packed RGBA8
layout(std430, binding = 2) readonly buffer Exact { uint exact[]; };     // exactStride * H packed RGBA8

layout(std140, binding = 3) uniform Params { ComposeUniforms params; };

vec4 unpack(uint v) { return vec4(uvec4(v, v >> 8, v >> 16, v >> 24) & 255u); }

// Flag 2: the destination takes BGRA (the swapchain image itself): R and B change places.
uint ordered(uint c, bool bgra) { return bgra ? (c & 0xFF00FF00u) | ((c >> 16) & 0xFFu) | ((c & 0xFFu) << 16) : c; }

uint texel(int base, ivec2 p, int T) {
  p = clamp(p, ivec2(0), ivec2(T - 1));
  return atlas[base + p.y * T + p.x];
}

// One pixel. `cached`/`entry`: the table entry of the last cell this invocation looked up (its
// pixels mostly share a tile, so the uniform block is read again only at tile edges).
void pixelAt(ivec2 pix, bool bgra, inout int cached, inout ivec4 entry) {
  if (pix.x >= params.sizeInfo.x || pix.y >= params.sizeInfo.y) return;
  int outIndex = pix.y * params.sizeInfo.x + pix.x;
  if (pix.y < params.tableInfo.y) {
    outPixels[outIndex] = ordered(exact[pix.y * params.tableInfo.z + pix.x], bgra);
    return;
  }
  int T = params.sizeInfo.z;
  vec2 q = params.view.xy + (vec2(pix) + 0.5) * params.view.z;   // position in target-level tile units
  ivec2 cell = ivec2(floor(q));
  uint color = params.background.x;
  if (cell.x >= 0 && cell.y >= 0 && cell.x < params.sizeInfo.w && cell.y < params.tableInfo.x) {
    int index = cell.y * params.sizeInfo.w + cell.x;
    if (index != cached) {
      cached = index;
      entry = params.entries[index];
    }
    ivec4 e = entry;
    if (e.x >= 0) {
      int base = e.x * T * T;
      vec2 uv = (vec2(e.zw) + fract(q)) * (float(T) / float(1 << e.y));   // texel units in the ancestor tile
      if ((params.tableInfo.w & 1) != 0) {
        color = texel(base, ivec2(uv), T);
      } else {
        vec2 t = uv - 0.5;
        ivec2 i0 = ivec2(floor(t));
        vec2 f = t - vec2(i0);
        vec4 a = mix(unpack(texel(base, i0, T)), unpack(texel(base, i0 + ivec2(1, 0), T)), f.x);
        vec4 b = mix(unpack(texel(base, i0 + ivec2(0, 1), T)), unpack(texel(base, i0 + ivec2(1, 1), T)), f.x);
        uvec4 c = uvec4(mix(a, b, f.y) + 0.5);
        color = c.x | (c.y << 8) | (c.z << 16) | (c.w << 24);
      }
    }
  }
  outPixels[outIndex] = ordered(color, bgra);
}

// Each invocation draws COMPOSE_PIXELS_PER_INVOCATION pixels of its row, 16 apart, so that the 16
// invocations of a workgroup row write 16 neighbouring pixels at each step: on lavapipe, fewer
// invocations for the same pixels halve the pass (docs/architecture.md "Performance facts").
void main() {
  int x0 = int(gl_WorkGroupID.x) * 16 * COMPOSE_PIXELS_PER_INVOCATION + int(gl_LocalInvocationID.x);
  int y = int(gl_GlobalInvocationID.y);
  int cached = -1;
  ivec4 entry = ivec4(-1);
  const bool bgra = (params.tableInfo.w & 2) != 0;
  for (int k = 0; k < COMPOSE_PIXELS_PER_INVOCATION; ++k) pixelAt(ivec2(x0 + 16 * k, y), bgra, cached, entry);
}
