#include "app/cli/camera_flag.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace fieldscope {

OrbitCameraState parseCameraFlag(const std::string& text, const OrbitCameraState& fallback) {
  OrbitCameraState s = fallback;
  if (text.empty()) return s;
  double az = 0, el = 0, dist = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%lf,%lf,%lf%c", &az, &el, &dist, &extra) != 3 || !std::isfinite(az) ||
      !(std::abs(el) <= OrbitCamera::kMaxElevationDeg) ||
      !(dist >= OrbitCamera::kMinDistance && dist <= OrbitCamera::kMaxDistance))
    throw std::runtime_error("--camera '" + text + "': expected AZ,EL,DIST (degrees, elevation within +-89, distance 0.05 to 50)");
  s.azimuthDeg = float(az);
  s.elevationDeg = float(el);
  s.distance = float(dist);
  return s;
}

}  // namespace fieldscope
