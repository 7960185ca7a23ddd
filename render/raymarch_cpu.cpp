#include "render/raymarch_cpu.h"

#include <algorithm>
#include <cmath>
#include <glm/common.hpp>
#include <glm/geometric.hpp>
#include <glm/vec3.hpp>

#include "render/march_cpu_common.h"

namespace fieldscope {

namespace {
using glm::ivec3;
using glm::vec3;
using marchcpu::packRgba8;

struct Marcher {
  const shaderio::RaymarchUniforms& u;
  const float* grid;
  int n;

  float field(vec3 g) const {
    return marchcpu::trilinear(g, n, [&](ivec3 i) { return grid[(size_t(i.z) * n + i.y) * n + i.x]; });
  }
  vec3 toGrid(vec3 p) const { return marchcpu::toGrid(u, p); }
  bool clipped(vec3 p) const { return marchcpu::clipped(u, p); }
  bool inside(vec3 p) const { return !clipped(p) && field(toGrid(p)) > u.up.w; }

  // One pixel: march every step, bisect the first crossing, shade.
  uint32_t pixel(int px, int py) const {
    const vec3 o(u.origin);
    const vec3 d = marchcpu::cameraRay(u, px, py);
    const marchcpu::Span span = marchcpu::boxInterval(u, o, d);
    if (!span.hit()) return packRgba8(u.background);
    const float stepT = u.forward.w / u.gridMap.x;
    float tPrev = span.enter, t = span.enter;
    bool hit = false;
    for (int k = 0; k < u.marchInfo.y && t <= span.exit; ++k) {
      if (inside(o + t * d)) {
        hit = true;
        break;
      }
      tPrev = t;
      t += stepT;
    }
    if (!hit) return packRgba8(u.background);
    float lo = tPrev, hi = t;
    for (int k = 0; k < u.marchInfo.z; ++k) {
      const float mid = 0.5f * (lo + hi);
      if (inside(o + mid * d))
        hi = mid;
      else
        lo = mid;
    }
    const vec3 p = o + hi * d;
    vec3 normal, albedo(u.material);
    if (clipped(o + lo * d)) {
      normal = vec3(u.clipPlane);
      albedo = vec3(u.cutFace);
    } else {
      const vec3 g = toGrid(p);
      const vec3 grad(field(g + vec3(1, 0, 0)) - field(g - vec3(1, 0, 0)),
                      field(g + vec3(0, 1, 0)) - field(g - vec3(0, 1, 0)),
                      field(g + vec3(0, 0, 1)) - field(g - vec3(0, 0, 1)));
      normal = glm::dot(grad, grad) > 1e-20f ? -glm::normalize(grad) : -d;
    }
    if (glm::dot(normal, d) > 0.0f) normal = -normal;
    if (u.marchInfo.w == RAYMARCH_MODE_NORMALS) return packRgba8(glm::vec4(normal * 0.5f + 0.5f, 1.0f));
    if (u.marchInfo.w == RAYMARCH_MODE_DEPTH) {
      const float r = 1.7320508f * u.gridMap.z;
      const float depth = std::clamp((hi - (glm::length(o) - r)) / (2.0f * r), 0.0f, 1.0f);
      return packRgba8(glm::vec4(glm::vec3(1.0f - depth), 1.0f));
    }
    const vec3 view = -d;
    const float diffuse = u.keyLight.w * std::max(glm::dot(normal, vec3(u.keyLight)), 0.0f) +
                          u.fillLight.w * std::max(glm::dot(normal, vec3(u.fillLight)), 0.0f);
    const vec3 h = glm::normalize(vec3(u.keyLight) + view);
    const float spec = u.specular.x * std::pow(std::max(glm::dot(normal, h), 0.0f), u.specular.y);
    const vec3 rgb = albedo * (u.material.w + diffuse) + vec3(spec);
    return packRgba8(glm::vec4(rgb, 1.0f));
  }
};
}  // namespace

std::vector<uint8_t> raymarchOnCpu(const shaderio::RaymarchUniforms& u, const float* grid, int threads) {
  const Marcher m{u, grid, u.sizeInfo.z};
  return marchcpu::renderRows(u, threads, [&](int px, int py) { return m.pixel(px, py); });
}

}  // namespace fieldscope
