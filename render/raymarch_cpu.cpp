#include "render/raymarch_cpu.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <glm/common.hpp>
#include <glm/geometric.hpp>
#include <glm/vec3.hpp>

namespace fieldscope {

namespace {
using glm::ivec3;
using glm::vec3;

struct Marcher {
  const shaderio::RaymarchUniforms& u;
  const float* grid;
  int n;

  float voxel(ivec3 i) const { return grid[(size_t(i.z) * n + i.y) * n + i.x]; }

  float field(vec3 g) const {
    g = glm::clamp(g, vec3(0.0f), vec3(float(n - 1)));
    const ivec3 i = glm::min(ivec3(g), ivec3(n - 2));
    const vec3 f = g - vec3(i);
    auto lerp = [](float a, float b, float t) { return a + (b - a) * t; };  // GLSL mix
    const float x00 = lerp(voxel(i), voxel(i + ivec3(1, 0, 0)), f.x);
    const float x10 = lerp(voxel(i + ivec3(0, 1, 0)), voxel(i + ivec3(1, 1, 0)), f.x);
    const float x01 = lerp(voxel(i + ivec3(0, 0, 1)), voxel(i + ivec3(1, 0, 1)), f.x);
    const float x11 = lerp(voxel(i + ivec3(0, 1, 1)), voxel(i + ivec3(1, 1, 1)), f.x);
    return lerp(lerp(x00, x10, f.y), lerp(x01, x11, f.y), f.z);
  }
  vec3 toGrid(vec3 p) const { return p * u.gridMap.x + u.gridMap.y; }
  bool clipped(vec3 p) const {
    return (u.sizeInfo.w & RAYMARCH_FLAG_CLIP) != 0 && glm::dot(vec3(u.clipPlane), p) + u.clipPlane.w > 0.0f;
  }
  bool inside(vec3 p) const { return !clipped(p) && field(toGrid(p)) > u.up.w; }
};

uint32_t pack(glm::vec4 c) {
  uint32_t v = 0;
  for (int k = 0; k < 4; ++k) v |= uint32_t(std::clamp(c[k], 0.0f, 1.0f) * 255.0f + 0.5f) << (8 * k);
  return v;
}
}  // namespace

std::vector<uint8_t> raymarchOnCpu(const shaderio::RaymarchUniforms& u, const float* grid, int threads) {
  const int W = u.sizeInfo.x, H = u.sizeInfo.y;
  const Marcher m{u, grid, u.sizeInfo.z};
  std::vector<uint8_t> out(size_t(W) * H * 4);
  const vec3 o(u.origin);
  const float b = u.gridMap.z;
  const float stepT = u.forward.w / u.gridMap.x;
  auto rows = [&](int first, int step) {
    for (int py = first; py < H; py += step) {
      for (int px = 0; px < W; ++px) {
        uint32_t color = pack(u.background);
        const float ndcX = 2.0f * (float(px) + 0.5f) / float(W) - 1.0f;
        const float ndcY = 1.0f - 2.0f * (float(py) + 0.5f) / float(H);
        vec3 d = glm::normalize(vec3(u.forward) + (ndcX * u.right.w * u.origin.w) * vec3(u.right) +
                                (ndcY * u.origin.w) * vec3(u.up));
        for (int k = 0; k < 3; ++k)
          if (d[k] == 0.0f) d[k] = 1e-9f;
        const vec3 t0 = (vec3(-b) - o) / d, t1 = (vec3(b) - o) / d;
        const vec3 tn = glm::min(t0, t1), tf = glm::max(t0, t1);
        const float tEnter = std::max(std::max(std::max(tn.x, tn.y), tn.z), 0.0f);
        const float tExit = std::min(std::min(tf.x, tf.y), tf.z);
        if (tEnter < tExit) {
          float tPrev = tEnter, t = tEnter;
          bool hit = false;
          for (int k = 0; k < u.marchInfo.y && t <= tExit; ++k) {
            if (m.inside(o + t * d)) {
              hit = true;
              break;
            }
            tPrev = t;
            t += stepT;
          }
          if (hit) {
            float lo = tPrev, hi = t;
            for (int k = 0; k < u.marchInfo.z; ++k) {
              const float mid = 0.5f * (lo + hi);
              if (m.inside(o + mid * d))
                hi = mid;
              else
                lo = mid;
            }
            const vec3 p = o + hi * d;
            vec3 normal, albedo(u.material);
            if (m.clipped(o + lo * d)) {
              normal = vec3(u.clipPlane);
              albedo = vec3(u.cutFace);
            } else {
              const vec3 g = m.toGrid(p);
              const vec3 grad(m.field(g + vec3(1, 0, 0)) - m.field(g - vec3(1, 0, 0)),
                              m.field(g + vec3(0, 1, 0)) - m.field(g - vec3(0, 1, 0)),
                              m.field(g + vec3(0, 0, 1)) - m.field(g - vec3(0, 0, 1)));
              normal = glm::dot(grad, grad) > 1e-20f ? -glm::normalize(grad) : -d;
            }
            if (glm::dot(normal, d) > 0.0f) normal = -normal;
            if (u.marchInfo.w == RAYMARCH_MODE_NORMALS) {
              color = pack(glm::vec4(normal * 0.5f + 0.5f, 1.0f));
              std::copy_n(reinterpret_cast<const uint8_t*>(&color), 4, &out[(size_t(py) * W + px) * 4]);
              continue;
            }
            if (u.marchInfo.w == RAYMARCH_MODE_DEPTH) {
              const float r = 1.7320508f * b;
              const float depth = std::clamp((hi - (glm::length(o) - r)) / (2.0f * r), 0.0f, 1.0f);
              color = pack(glm::vec4(glm::vec3(1.0f - depth), 1.0f));
              std::copy_n(reinterpret_cast<const uint8_t*>(&color), 4, &out[(size_t(py) * W + px) * 4]);
              continue;
            }
            const vec3 view = -d;
            const float diffuse = u.keyLight.w * std::max(glm::dot(normal, vec3(u.keyLight)), 0.0f) +
                                  u.fillLight.w * std::max(glm::dot(normal, vec3(u.fillLight)), 0.0f);
            const vec3 h = glm::normalize(vec3(u.keyLight) + view);
            const float spec = u.specular.x * std::pow(std::max(glm::dot(normal, h), 0.0f), u.specular.y);
            const vec3 rgb = albedo * (u.material.w + diffuse) + vec3(spec);
            color = pack(glm::vec4(rgb, 1.0f));
          }
        }
        std::copy_n(reinterpret_cast<const uint8_t*>(&color), 4, &out[(size_t(py) * W + px) * 4]);
      }
    }
  };
  std::vector<std::thread> pool;
  const int count = std::clamp(threads, 1, 64);
  for (int t = 1; t < count; ++t) pool.emplace_back(rows, t, count);
  rows(0, count);
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace fieldscope
