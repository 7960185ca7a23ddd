#pragma once
// What the CPU twins of the grid marchers (raymarch_cpu.cpp: the iso-surface, volume_march_cpu.cpp:
// emission-absorption) share, written as shaders/raymarch_common.h writes it on the GPU: the
// camera ray, the box, the clip plane, trilinear reads, RGBA8 packing, and rows shared among
// threads. Plain C++ over glm; internal to render/.
#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include <glm/common.hpp>
#include <glm/geometric.hpp>
#include <glm/vec3.hpp>
#include <glm/vec4.hpp>

#include "shaders/raymarch_io.h"

namespace fieldscope::marchcpu {

inline uint32_t packRgba8(glm::vec4 c) {
  uint32_t v = 0;
  for (int k = 0; k < 4; ++k) v |= uint32_t(std::clamp(c[k], 0.0f, 1.0f) * 255.0f + 0.5f) << (8 * k);
  return v;
}

// The unit camera ray through pixel (px, py)'s centre, no zero components (cameraRay in GLSL).
inline glm::vec3 cameraRay(const shaderio::RaymarchUniforms& u, int px, int py) {
  const float ndcX = 2.0f * (float(px) + 0.5f) / float(u.sizeInfo.x) - 1.0f;
  const float ndcY = 1.0f - 2.0f * (float(py) + 0.5f) / float(u.sizeInfo.y);
  glm::vec3 d = glm::normalize(glm::vec3(u.forward) + (ndcX * u.right.w * u.origin.w) * glm::vec3(u.right) +
                               (ndcY * u.origin.w) * glm::vec3(u.up));
  for (int k = 0; k < 3; ++k)
    if (d[k] == 0.0f) d[k] = 1e-9f;
  return d;
}

struct Span {
  float enter, exit;
  bool hit() const { return enter < exit; }
};
// The ray o + t d through the box [-h, h]^3 (h = gridMap.z), enter >= 0.
inline Span boxInterval(const shaderio::RaymarchUniforms& u, glm::vec3 o, glm::vec3 d) {
  const float b = u.gridMap.z;
  const glm::vec3 t0 = (glm::vec3(-b) - o) / d, t1 = (glm::vec3(b) - o) / d;
  const glm::vec3 tn = glm::min(t0, t1), tf = glm::max(t0, t1);
  return {std::max(std::max(std::max(tn.x, tn.y), tn.z), 0.0f), std::min(std::min(tf.x, tf.y), tf.z)};
}

inline bool clipped(const shaderio::RaymarchUniforms& u, glm::vec3 p) {
  return (u.sizeInfo.w & RAYMARCH_FLAG_CLIP) != 0 && glm::dot(glm::vec3(u.clipPlane), p) + u.clipPlane.w > 0.0f;
}

inline glm::vec3 toGrid(const shaderio::RaymarchUniforms& u, glm::vec3 p) { return p * u.gridMap.x + u.gridMap.y; }

// The trilinear field at voxel coordinate g, clamped to the outermost voxel centres;
// voxel(ivec3) reads one voxel (a float or a vec4).
template <class Voxel>
auto trilinear(glm::vec3 g, int n, const Voxel& voxel) {
  using glm::ivec3;
  g = glm::clamp(g, glm::vec3(0.0f), glm::vec3(float(n - 1)));
  const ivec3 i = glm::min(ivec3(g), ivec3(n - 2));
  const glm::vec3 f = g - glm::vec3(i);
  auto lerp = [](auto a, auto b, float t) { return a + (b - a) * t; };  // GLSL mix
  const auto x00 = lerp(voxel(i), voxel(i + ivec3(1, 0, 0)), f.x);
  const auto x10 = lerp(voxel(i + ivec3(0, 1, 0)), voxel(i + ivec3(1, 1, 0)), f.x);
  const auto x01 = lerp(voxel(i + ivec3(0, 0, 1)), voxel(i + ivec3(1, 0, 1)), f.x);
  const auto x11 = lerp(voxel(i + ivec3(0, 1, 1)), voxel(i + ivec3(1, 1, 1)), f.x);
  return lerp(lerp(x00, x10, f.y), lerp(x01, x11, f.y), f.z);
}

// W x H packed RGBA8 (R in the low byte), top row first, pixel(px, py) -> packed colour for
// every pixel; rows are shared among `threads`.
template <class Pixel>
std::vector<uint8_t> renderRows(const shaderio::RaymarchUniforms& u, int threads, const Pixel& pixel) {
  const int W = u.sizeInfo.x, H = u.sizeInfo.y;
  std::vector<uint8_t> out(size_t(W) * H * 4);
  auto rows = [&](int first, int step) {
    for (int py = first; py < H; py += step)
      for (int px = 0; px < W; ++px) {
        const uint32_t color = pixel(px, py);
        std::copy_n(reinterpret_cast<const uint8_t*>(&color), 4, &out[(size_t(py) * W + px) * 4]);
      }
  };
  std::vector<std::thread> pool;
  const int count = std::clamp(threads, 1, 64);
  for (int t = 1; t < count; ++t) pool.emplace_back(rows, t, count);
  rows(0, count);
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace fieldscope::marchcpu
