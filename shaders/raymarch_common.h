#ifndef FIELDSCOPE_RAYMARCH_COMMON_H
#define FIELDSCOPE_RAYMARCH_COMMON_H
// GLSL only: what the two grid marchers (raymarch_grid.comp: the iso-surface of a scalar grid,
// raymarch_volume.comp: emission-absorption through a density + colour grid) share -- the
// camera ray, the box, the clip plane, the coarse skipping cells, trilinear reads and the
// RGBA8 packing. Included after the shader's `uniform Params { RaymarchUniforms u; }`.
// render/march_cpu_common.h is the same on the CPU: change both together.

uint packRgba8(vec4 c) {
  uvec4 b = uvec4(clamp(c, 0.0, 1.0) * 255.0 + 0.5);
  return b.x | (b.y << 8) | (b.z << 16) | (b.w << 24);
}

// The unit camera ray through the centre of pixel `pix` (row 0 at the top), with no zero
// components: the slab tests divide by them.
vec3 cameraRay(ivec2 pix) {
  vec2 ndc = vec2(2.0 * (float(pix.x) + 0.5) / float(u.sizeInfo.x) - 1.0,
                  1.0 - 2.0 * (float(pix.y) + 0.5) / float(u.sizeInfo.y));
  vec3 d = normalize(u.forward.xyz + (ndc.x * u.right.w * u.origin.w) * u.right.xyz + (ndc.y * u.origin.w) * u.up.xyz);
  return mix(d, vec3(1e-9), equal(d, vec3(0.0)));
}

// (tEnter, tExit) of the ray o + t d through the grid's box [-h, h]^3, tEnter >= 0; it misses
// the box when tEnter >= tExit.
vec2 boxInterval(vec3 o, vec3 d) {
  float b = u.gridMap.z;
  vec3 t0 = (vec3(-b) - o) / d, t1 = (vec3(b) - o) / d;
  vec3 tn = min(t0, t1), tf = max(t0, t1);
  return vec2(max(max(max(tn.x, tn.y), tn.z), 0.0), min(min(tf.x, tf.y), tf.z));
}

bool clipped(vec3 p) {
  return (u.sizeInfo.w & RAYMARCH_FLAG_CLIP) != 0 && dot(u.clipPlane.xyz, p) + u.clipPlane.w > 0.0;
}

// The coarse skipping cell (RAYMARCH_SKIP_CELL^3 voxels) that holds voxel coordinate g, and its
// index in the coarse grid.
ivec3 coarseCellOf(vec3 g) {
  int n = u.sizeInfo.z;
  return min(ivec3(clamp(g, vec3(0.0), vec3(float(n - 1)))) / RAYMARCH_SKIP_CELL, ivec3(u.marchInfo.x - 1));
}
int coarseIndex(ivec3 c) { return (c.z * u.marchInfo.x + c.y) * u.marchInfo.x + c.x; }

// Where the ray g(t) = go + t gd (invGd = 1 / gd) leaves cell c, not before t: the cell's voxel
// range is [cS, cS + S] (the outer cells reach the box's faces).
float coarseCellExit(ivec3 c, vec3 go, vec3 gd, vec3 invGd, float t) {
  int S = RAYMARCH_SKIP_CELL, cells = u.marchInfo.x;
  vec3 lo = mix(vec3(c * S), vec3(-1.0), equal(c, ivec3(0)));
  vec3 hi = mix(vec3(c * S + S), vec3(float(u.sizeInfo.z)), equal(c, ivec3(cells - 1)));
  vec3 te = (mix(lo, hi, greaterThan(gd, vec3(0.0))) - go) * invGd;
  return max(min(min(te.x, te.y), te.z), t);
}

// TYPE NAME(vec3 g): the trilinear field at voxel coordinate g (voxel centres at integers),
// clamped to the outermost voxel centres; VOXEL(ivec3 i, int n) reads one voxel.
#define RAYMARCH_TRILINEAR(TYPE, NAME, VOXEL)                                           \
  TYPE NAME(vec3 g) {                                                                   \
    int n = u.sizeInfo.z;                                                               \
    g = clamp(g, vec3(0.0), vec3(float(n - 1)));                                        \
    ivec3 i = min(ivec3(g), ivec3(n - 2));                                              \
    vec3 f = g - vec3(i);                                                               \
    TYPE x00 = mix(VOXEL(i, n), VOXEL(i + ivec3(1, 0, 0), n), f.x);                     \
    TYPE x10 = mix(VOXEL(i + ivec3(0, 1, 0), n), VOXEL(i + ivec3(1, 1, 0), n), f.x);    \
    TYPE x01 = mix(VOXEL(i + ivec3(0, 0, 1), n), VOXEL(i + ivec3(1, 0, 1), n), f.x);    \
    TYPE x11 = mix(VOXEL(i + ivec3(0, 1, 1), n), VOXEL(i + ivec3(1, 1, 1), n), f.x);    \
    return mix(mix(x00, x10, f.y), mix(x01, x11, f.y), f.z);                            \
  }

#endif
