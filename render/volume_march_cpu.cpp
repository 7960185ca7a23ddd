#include "render/volume_march_cpu.h"

#include <algorithm>
#include <cmath>

#include "render/march_cpu_common.h"

namespace fieldscope {

namespace {
using glm::ivec3;
using glm::vec3;
using glm::vec4;
using marchcpu::packRgba8;

uint32_t volumePixel(const shaderio::RaymarchUniforms& u, const float* grid, int px, int py,
                     const VolumeSkipGrid* skip = nullptr) {
  const int n = u.sizeInfo.z;
  const vec3 o(u.origin);
  const vec3 d = marchcpu::cameraRay(u, px, py);
  const marchcpu::Span span = marchcpu::boxInterval(u, o, d);
  if (!span.hit()) return packRgba8(u.background);
  const float dt = u.forward.w / u.gridMap.x;
  float T = 1.0f, D = 0.0f;
  vec3 C(0.0f);
  for (int k = 0; k < u.marchInfo.y; ++k) {
    const float t = span.enter + (float(k) + 0.5f) * dt;
    if (t >= span.exit) break;
    const vec3 p = o + t * d;
    if (skip) {
      // The sample's cell; an empty one: on to the lattice's first sample past the cell's exit.
      const vec3 g = glm::clamp(marchcpu::toGrid(u, p), vec3(0.0f), vec3(float(n - 1)));
      const ivec3 c = glm::min(ivec3(g) / RAYMARCH_SKIP_CELL, ivec3(skip->cells - 1));
      if (skip->maxSigma[(size_t(c.z) * skip->cells + c.y) * skip->cells + c.x] <= 1e-6f) {
        const vec3 lo = vec3(c * RAYMARCH_SKIP_CELL), hi = lo + float(RAYMARCH_SKIP_CELL);
        // The cell in voxel coordinates, back to world along the ray: t where g leaves [lo, hi).
        const vec3 gd = d * u.gridMap.x;
        float tExit = span.exit;
        for (int a = 0; a < 3; ++a) {
          const float bound = gd[a] > 0 ? hi[a] : lo[a];
          const float ta = t + (bound - g[a]) / gd[a];
          if (ta > t) tExit = std::min(tExit, ta);
        }
        const int next = int(std::ceil((tExit - span.enter) / dt - 0.5f));
        if (next > k) k = next - 1;  // the loop's ++k lands on it
        continue;
      }
    }
    if (marchcpu::clipped(u, p)) continue;
    const vec4 s = marchcpu::trilinear(marchcpu::toGrid(u, p), n, [&](ivec3 i) {
      const float* v = grid + ((size_t(i.z) * n + i.y) * n + i.x) * 4;
      return vec4(v[0], v[1], v[2], v[3]);
    });
    const float alpha = 1.0f - std::exp(-std::max(s.x, 0.0f) * dt);
    const float w = T * alpha;
    C += w * glm::clamp(vec3(s.y, s.z, s.w), 0.0f, 1.0f);
    D += w * t;
    T *= 1.0f - alpha;
    if (T < float(VOLUME_MIN_TRANSMITTANCE)) break;
  }
  const float opacity = 1.0f - T;
  if (u.marchInfo.w == VOLUME_MODE_DEPTH) {
    if (opacity < float(VOLUME_DEPTH_MIN_OPACITY)) return packRgba8(u.background);
    const float r = 1.7320508f * u.gridMap.z;
    const float depth =
        std::clamp((D / std::max(opacity, 1e-6f) - (glm::length(o) - r)) / (2.0f * r), 0.0f, 1.0f);
    return packRgba8(vec4(vec3(1.0f - depth), 1.0f));
  }
  const vec3 rgb = u.marchInfo.w == VOLUME_MODE_OPACITY ? vec3(opacity) : C;
  return packRgba8(vec4(rgb + T * vec3(u.background), opacity + T * u.background.a));
}
}  // namespace

std::vector<uint8_t> volumeMarchOnCpu(const shaderio::RaymarchUniforms& u, const float* grid, int threads) {
  return marchcpu::renderRows(u, threads, [&](int px, int py) { return volumePixel(u, grid, px, py); });
}

VolumeSkipGrid volumeSkipGrid(const float* grid, int n) {
  VolumeSkipGrid s;
  s.n = n;
  s.cells = (n - 1) / RAYMARCH_SKIP_CELL + 1;
  s.maxSigma.assign(size_t(s.cells) * s.cells * s.cells, 0.0f);
  // Each voxel raises the cells whose samples may read it: its own and, across a cell face, the
  // neighbour's (trilinear reads reach one voxel past a cell).
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        const float v = grid[((size_t(z) * n + y) * n + x) * 4];
        if (!(v > 0.0f)) continue;
        const int cz0 = std::max(z - 1, 0) / RAYMARCH_SKIP_CELL, cz1 = std::min(z + 1, n - 1) / RAYMARCH_SKIP_CELL;
        const int cy0 = std::max(y - 1, 0) / RAYMARCH_SKIP_CELL, cy1 = std::min(y + 1, n - 1) / RAYMARCH_SKIP_CELL;
        const int cx0 = std::max(x - 1, 0) / RAYMARCH_SKIP_CELL, cx1 = std::min(x + 1, n - 1) / RAYMARCH_SKIP_CELL;
        for (int cz = cz0; cz <= cz1; ++cz)
          for (int cy = cy0; cy <= cy1; ++cy)
            for (int cx = cx0; cx <= cx1; ++cx) {
              float& m = s.maxSigma[(size_t(cz) * s.cells + cy) * s.cells + cx];
              m = std::max(m, v);
            }
      }
  return s;
}

std::vector<uint8_t> volumeMarchOnCpu(const shaderio::RaymarchUniforms& u, const float* grid, const VolumeSkipGrid& skip,
                                      int threads) {
  return marchcpu::renderRows(u, threads, [&](int px, int py) { return volumePixel(u, grid, px, py, &skip); });
}

}  // namespace fieldscope
