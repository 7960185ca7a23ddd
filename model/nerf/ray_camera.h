#pragma once
// Cameras as ray generators for the NeRF renderer (docs/architecture.md "The NeRF domain"). One
// convention for every caller: pixel (px, py) of a W x H image (top row first) looks along
// normalize(forward + u right + v up), u = (2 (px + 0.5) / W - 1) (W / H) tanHalfFovY,
// v = (1 - 2 (py + 0.5) / H) tanHalfFovY -- the 3D view's CameraFrame (render/orbit_camera.h),
// so a torch render and the ray-marched grid see the same rays. A NeRF-synthetic pose
// (camera-to-world, the camera looking down its -Z, +Y up) is the same camera with right = +X,
// up = +Y, forward = -Z and tan(fovX / 2) = tanHalfFovY W / H.
#include <torch/types.h>

#include <array>

namespace fieldscope {

struct RayCamera {
  std::array<float, 3> origin{0, 0, 4};
  std::array<float, 3> right{1, 0, 0}, up{0, 1, 0}, forward{0, 0, -1};  // orthonormal
  float tanHalfFovY = 0.36f;
};

struct Rays {
  torch::Tensor origins;     // (P, 3) float32
  torch::Tensor directions;  // (P, 3) unit
};

// cameraToWorld: 4 x 4 row-major; cameraAngleX: the horizontal field of view (radians).
RayCamera cameraFromPose(const std::array<float, 16>& cameraToWorld, float cameraAngleX, int width, int height);
// Every pixel's ray, row by row (P = width x height).
Rays pixelRays(const RayCamera& camera, int width, int height);
// Where each ray is inside the box [-bound, bound]^3: tNear (>= 0) and tFar, with tFar <= tNear
// for rays that miss it.
std::pair<torch::Tensor, torch::Tensor> boxInterval(const Rays& rays, double bound);

}  // namespace fieldscope
