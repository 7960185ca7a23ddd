#include "app/domains/nerf/cli/nerf_camera.h"

#include <cmath>

#include "model/nerf/nerf_field.h"

namespace fieldscope {

OrbitCameraState nerfHomeCamera() {
  OrbitCameraState s;
  s.azimuthDeg = 30.0f;
  s.elevationDeg = 20.0f;
  s.distance = 4.0f;
  s.fovYDeg = 40.0f;
  return s;
}

RayCamera nerfRayCamera(const CameraFrame& f) {
  auto world = [](const glm::vec3& v) { return nerfWorldFromView({v.x, v.y, v.z}); };
  RayCamera c;
  c.origin = world(f.origin);
  c.right = world(f.right);
  c.up = world(f.up);
  c.forward = world(f.forward);
  c.tanHalfFovY = f.tanHalfFovY;
  return c;
}

RayCamera nerfRayCamera(const OrbitCameraState& state) { return nerfRayCamera(OrbitCamera(state).frame()); }

}  // namespace fieldscope
