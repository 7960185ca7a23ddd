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

uint32_t volumePixel(const shaderio::RaymarchUniforms& u, const float* grid, int px, int py) {
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

}  // namespace fieldscope
