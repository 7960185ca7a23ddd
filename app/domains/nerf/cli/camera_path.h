#pragma once
// A camera path (docs/architecture.md "The NeRF domain"): keyframes of position, look-at point
// and vertical field of view at times in seconds, in the 3D view's axes (+Y up), as JSON:
//   {"keyframes": [{"time": 0, "position": [x, y, z], "look_at": [x, y, z], "fov": 40}, ...]}
// Between keyframes everything is interpolated linearly; before the first and after the last
// the end keyframe holds. The viewer saves and loads it, `sample --camera-path` renders it.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <glm/vec3.hpp>

#include "render/orbit_camera.h"

namespace fieldscope {

struct CameraKeyframe {
  double time = 0;
  glm::vec3 position{0, 0, 4};
  glm::vec3 lookAt{0};
  float fovDeg = 40;
};

struct CameraPath {
  std::vector<CameraKeyframe> keyframes;  // times increasing
  double duration() const { return keyframes.empty() ? 0.0 : keyframes.back().time - keyframes.front().time; }
  // The camera at time t (clamped to the path). A keyframe looking straight up or down gets a
  // well-defined right vector (never NaN).
  CameraFrame at(double t) const;
};

// Reads and checks a path: at least one keyframe; times finite and increasing; positions and
// look-at points finite and apart; fov in (0, 180) degrees exclusive -- anything else throws
// std::runtime_error naming the file and the keyframe.
CameraPath readCameraPath(const std::filesystem::path& file);
// Atomically (temporary file + rename).
void writeCameraPath(const std::filesystem::path& file, const CameraPath& path);
// The same checks on JSON already read (a session's view state); `what` names it in errors.
CameraPath cameraPathFromJson(const nlohmann::json& j, const std::string& what);
nlohmann::json cameraPathToJson(const CameraPath& path);

// Frames of a video of `path` at `fps`: duration x fps + 1 (the last keyframe included). Throws
// naming `what` ("the camera path 'FILE'") beyond kMaxCameraPathFrames.
inline constexpr int kMaxCameraPathFrames = 216000;  // two hours at 30 fps
int cameraPathFrames(const CameraPath& path, int fps, const std::string& what);

// The frame of a camera at `position` looking at `lookAt`, the picture's up as close to +Y as it
// can be (+Z when looking along Y); fov clamped to [1, 179] degrees.
CameraFrame lookAtFrame(const glm::vec3& position, const glm::vec3& lookAt, float fovDeg);

}  // namespace fieldscope
