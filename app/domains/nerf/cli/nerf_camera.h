#pragma once
// The NeRF domain's cameras (docs/architecture.md "The NeRF domain"): the viewer's orbit camera
// and camera paths live in the 3D view's axes (+Y up); a NeRF-synthetic scene's world has +Z up.
// These turn a view camera into rays of the scene's world (model/nerf/ray_camera.h).
#include "model/nerf/ray_camera.h"
#include "render/orbit_camera.h"

namespace fieldscope {

// Where a NeRF view starts: 30 degrees round, 20 up, 4 units from the centre (the distance
// NeRF-synthetic cameras keep), 40 degrees of vertical field of view.
OrbitCameraState nerfHomeCamera();

RayCamera nerfRayCamera(const CameraFrame& viewFrame);
RayCamera nerfRayCamera(const OrbitCameraState& state);

}  // namespace fieldscope
