#include "model/nerf/ray_camera.h"

#include <torch/torch.h>

#include <cmath>

namespace fieldscope {

RayCamera cameraFromPose(const std::array<float, 16>& m, float cameraAngleX, int width, int height) {
  RayCamera c;
  for (int i = 0; i < 3; ++i) {
    c.right[size_t(i)] = m[size_t(4 * i + 0)];
    c.up[size_t(i)] = m[size_t(4 * i + 1)];
    c.forward[size_t(i)] = -m[size_t(4 * i + 2)];
    c.origin[size_t(i)] = m[size_t(4 * i + 3)];
  }
  // Poses may carry a scale: keep the directions unit.
  for (auto* v : {&c.right, &c.up, &c.forward}) {
    const float len = std::sqrt((*v)[0] * (*v)[0] + (*v)[1] * (*v)[1] + (*v)[2] * (*v)[2]);
    if (len > 0)
      for (float& x : *v) x /= len;
  }
  c.tanHalfFovY = std::tan(0.5f * cameraAngleX) * float(height) / float(width);
  return c;
}

Rays pixelRays(const RayCamera& c, int width, int height) {
  const auto f = torch::kFloat32;
  const float aspect = float(width) / float(height);
  const torch::Tensor px = (torch::arange(width, f) + 0.5) * (2.0 / width) - 1.0;
  const torch::Tensor py = 1.0 - (torch::arange(height, f) + 0.5) * (2.0 / height);
  const torch::Tensor u = (px * (aspect * c.tanHalfFovY)).view({1, width, 1}).expand({height, width, 1});
  const torch::Tensor v = (py * c.tanHalfFovY).view({height, 1, 1}).expand({height, width, 1});
  auto vec = [&](const std::array<float, 3>& a) { return torch::tensor({a[0], a[1], a[2]}, f).view({1, 1, 3}); };
  const torch::Tensor d = vec(c.forward) + u * vec(c.right) + v * vec(c.up);
  Rays r;
  r.directions = (d / d.norm(2, -1, true)).reshape({-1, 3}).contiguous();
  r.origins = vec(c.origin).reshape({1, 3}).expand({int64_t(width) * height, 3}).contiguous();
  return r;
}

std::pair<torch::Tensor, torch::Tensor> boxInterval(const Rays& rays, double bound) {
  // Slabs; a zero direction component gives +-inf, which min/max handle.
  const torch::Tensor inv = 1.0 / rays.directions;
  const torch::Tensor a = (-bound - rays.origins) * inv, b = (bound - rays.origins) * inv;
  const torch::Tensor tNear = torch::minimum(a, b).nan_to_num(-1e30, 1e30, -1e30).amax(-1).clamp_min(0.0);
  const torch::Tensor tFar = torch::maximum(a, b).nan_to_num(1e30, 1e30, -1e30).amin(-1);
  return {tNear, tFar};
}

}  // namespace fieldscope
