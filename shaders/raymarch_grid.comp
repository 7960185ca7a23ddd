#version 450
#extension GL_GOOGLE_include_directive : require
// Ray-marches a baked n^3 scalar grid (occupancy logits or probabilities, docs/architecture.md "The 3D view's parts"):
// per pixel a camera ray, clipped to the grid's box; steps of `step` voxels through the
// trilinear field, jumping over coarse cells whose maximum is below the iso-level; the first
// sample inside (field > iso, not clipped away) is refined by bisection against the previous
// sample; inside cells that may hold surface, steps grow where a Lipschitz bound of the cell
// allows (sphere tracing that stays exact: no step passes a crossing); the normal is the field's central-difference gradient (or the clip plane's normal
// where the clip plane made the surface); a studio light shades it.
// render/raymarch_cpu.cpp is the same model on the CPU: change both together.
// Kept small and rolled: lavapipe compiles shaders at the first submit (docs/architecture.md "Performance facts").
#include "raymarch_io.h"

layout(local_size_x = 8, local_size_y = 8) in;

layout(std430, binding = 0) writeonly buffer Out { uint outPixels[]; };  // W*H packed RGBA8
layout(std430, binding = 1) readonly buffer Grid { float grid[]; };      // n^3, [z][y][x]
layout(std430, binding = 2) readonly buffer Coarse { vec2 coarse[]; };  // per coarse cell: max value, max neighbour difference
layout(std140, binding = 3) uniform Params { RaymarchUniforms u; };

#include "raymarch_common.h"

float voxel(ivec3 i, int n) { return grid[(i.z * n + i.y) * n + i.x]; }

// Trilinear field at voxel coordinate g, clamped to the outermost voxel centres.
RAYMARCH_TRILINEAR(float, field, voxel)

bool inside(vec3 p) { return !clipped(p) && field(p * u.gridMap.x + u.gridMap.y) > u.up.w; }

void main() {
  ivec2 pix = ivec2(gl_GlobalInvocationID.xy);
  if (pix.x >= u.sizeInfo.x || pix.y >= u.sizeInfo.y) return;
  int outIndex = pix.y * u.sizeInfo.x + pix.x;

  vec3 o = u.origin.xyz, d = cameraRay(pix);
  vec2 span = boxInterval(o, d);
  float tEnter = span.x, tExit = span.y, b = u.gridMap.z;
  outPixels[outIndex] = packRgba8(u.background);
  if (tEnter >= tExit) return;

  // The march runs in voxel coordinates (g = go + t * gd: the same t as in world space).
  vec3 go = o * u.gridMap.x + u.gridMap.y, gd = d * u.gridMap.x, invGd = 1.0 / gd;
  float stepT = u.forward.w / u.gridMap.x, iso = u.up.w;
  // |df/dt| <= sqrt(3) * (largest neighbour difference in the cell) * |gd|, |gd| = voxels per unit.
  float lipschitzPerDifference = 1.7320508 * u.gridMap.x;
  bool accelerate = (u.sizeInfo.w & RAYMARCH_FLAG_NO_SKIP) == 0;
  float tPrev = tEnter, t = tEnter;
  bool hit = false;
  for (int k = 0; k < u.marchInfo.y && t <= tExit; ++k) {
    vec3 g = go + t * gd;
    ivec3 c = coarseCellOf(g);
    vec2 cell = accelerate ? coarse[coarseIndex(c)] : vec2(3.0e38, 0.0);
    float tLeave = coarseCellExit(c, go, gd, invGd, t);  // where the ray leaves this cell
    if (cell.x <= iso) {
      // Nothing in this cell reaches the iso-level: jump to its far side (still outside).
      tPrev = tLeave;
      t = tLeave + 1e-3 * stepT;
      continue;
    }
    vec3 p = o + t * d;
    bool cut = clipped(p);
    float f = field(g);
    if (!cut && f > iso) {
      hit = true;
      break;
    }
    tPrev = t;
    // Within this cell the field cannot reach iso closer than (iso - f) / L: take that step
    // when it is longer than the plain one, up to the cell's far side (beyond, L may differ).
    float safe = (!accelerate || cut) ? 0.0 : (iso - f) / max(cell.y * lipschitzPerDifference, 1e-30);
    t += max(stepT, min(safe, tLeave + 1e-3 * stepT - t));
  }
  if (!hit) return;

  float lo = tPrev, hi = t;
  for (int k = 0; k < u.marchInfo.z; ++k) {
    float mid = 0.5 * (lo + hi);
    if (inside(o + mid * d)) hi = mid; else lo = mid;
  }
  vec3 p = o + hi * d;

  vec3 normal, albedo = u.material.rgb;
  if (clipped(o + lo * d)) {
    normal = u.clipPlane.xyz;  // the cut face, towards the removed side (the camera's)
    albedo = u.cutFace.rgb;
  } else {
    vec3 g = p * u.gridMap.x + u.gridMap.y, grad;
    for (int axis = 0; axis < 3; ++axis) {  // central differences, one voxel either side
      vec3 e = vec3(0.0);
      e[axis] = 1.0;
      grad[axis] = field(g + e) - field(g - e);
    }
    // The field grows inwards: the outward normal is against the gradient.
    normal = dot(grad, grad) > 1e-20 ? -normalize(grad) : -d;
  }
  if (dot(normal, d) > 0.0) normal = -normal;  // seen from behind (e.g. a cut): light the side we see
  if (u.marchInfo.w == RAYMARCH_MODE_NORMALS) {
    outPixels[outIndex] = packRgba8(vec4(normal * 0.5 + 0.5, 1.0));
    return;
  }
  if (u.marchInfo.w == RAYMARCH_MODE_DEPTH) {
    float r = 1.7320508 * b;  // the box's bounding sphere: depth runs over its extent
    float depth = clamp((hi - (length(o) - r)) / (2.0 * r), 0.0, 1.0);
    outPixels[outIndex] = packRgba8(vec4(vec3(1.0 - depth), 1.0));
    return;
  }

  vec3 view = -d;
  float diffuse = u.keyLight.w * max(dot(normal, u.keyLight.xyz), 0.0) +
                  u.fillLight.w * max(dot(normal, u.fillLight.xyz), 0.0);
  vec3 h = normalize(u.keyLight.xyz + view);
  float spec = u.specular.x * pow(max(dot(normal, h), 0.0), u.specular.y);
  vec3 rgb = albedo * (u.material.w + diffuse) + vec3(spec);
  outPixels[outIndex] = packRgba8(vec4(rgb, 1.0));
}
