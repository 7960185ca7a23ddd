#pragma once
// `--camera AZ,EL,DIST` of `sample` for the 3D domains (shape, NeRF): the viewer's orbit camera
// (render/orbit_camera.h) in degrees and world units.
#include <string>

#include "render/orbit_camera.h"

namespace fieldscope {

// Elevation within +-89, distance 0.05..50; empty: `fallback` (the domain's first view). The
// rest of the state (target, fov) comes from `fallback`. Throws std::runtime_error naming the option.
OrbitCameraState parseCameraFlag(const std::string& text, const OrbitCameraState& fallback = {});

}  // namespace fieldscope
