#include "app/domains/nerf/cli/camera_path.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include <glm/geometric.hpp>
#include <glm/trigonometric.hpp>

#include "model/io/atomic_file.h"

namespace fieldscope {

CameraFrame lookAtFrame(const glm::vec3& position, const glm::vec3& lookAt, float fovDeg) {
  CameraFrame f;
  f.origin = position;
  glm::vec3 d = lookAt - position;
  f.forward = glm::length(d) > 1e-12f ? glm::normalize(d) : glm::vec3(0, 0, -1);
  glm::vec3 worldUp(0, 1, 0);
  if (std::abs(glm::dot(f.forward, worldUp)) > 0.9999f) worldUp = glm::vec3(0, 0, f.forward.y > 0 ? 1 : -1);
  f.right = glm::normalize(glm::cross(f.forward, worldUp));
  f.up = glm::cross(f.right, f.forward);
  const float fov = std::clamp(std::isfinite(fovDeg) ? fovDeg : 40.0f, 1.0f, 179.0f);
  f.tanHalfFovY = std::tan(glm::radians(0.5f * fov));
  return f;
}

int cameraPathFrames(const CameraPath& path, int fps, const std::string& what) {
  const double frames = path.duration() * fps + 1;
  if (!(frames <= kMaxCameraPathFrames))
    throw std::runtime_error(what + " lasts " + std::to_string(path.duration()) + " s: " +
                             std::to_string(fps) + " fps would make more than " + std::to_string(kMaxCameraPathFrames) +
                             " frames");
  return std::max(1, int(std::lround(path.duration() * fps)) + 1);
}

CameraFrame CameraPath::at(double t) const {
  if (keyframes.empty()) return lookAtFrame({0, 0, 4}, {0, 0, 0}, 40);
  if (t <= keyframes.front().time) return lookAtFrame(keyframes.front().position, keyframes.front().lookAt, keyframes.front().fovDeg);
  for (size_t k = 1; k < keyframes.size(); ++k) {
    const CameraKeyframe &a = keyframes[k - 1], &b = keyframes[k];
    if (t <= b.time) {
      const float u = float((t - a.time) / (b.time - a.time));
      return lookAtFrame(a.position + u * (b.position - a.position), a.lookAt + u * (b.lookAt - a.lookAt),
                         a.fovDeg + u * (b.fovDeg - a.fovDeg));
    }
  }
  return lookAtFrame(keyframes.back().position, keyframes.back().lookAt, keyframes.back().fovDeg);
}

namespace {

glm::vec3 vec3At(const nlohmann::json& k, const char* name, const std::string& where) {
  if (!k.contains(name) || !k[name].is_array() || k[name].size() != 3)
    throw std::runtime_error(where + ": \"" + name + "\" must be three numbers [x, y, z]");
  glm::vec3 v;
  for (int i = 0; i < 3; ++i) {
    if (!k[name][size_t(i)].is_number()) throw std::runtime_error(where + ": \"" + name + "\" must be three numbers");
    v[i] = k[name][size_t(i)].get<float>();
    if (!std::isfinite(v[i])) throw std::runtime_error(where + ": \"" + name + "\" is not finite");
  }
  return v;
}

}  // namespace

CameraPath readCameraPath(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the camera path '" + file.string() + "'");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("the camera path '" + file.string() + "' is not JSON: " + e.what());
  }
  return cameraPathFromJson(j, "the camera path '" + file.string() + "'");
}

CameraPath cameraPathFromJson(const nlohmann::json& j, const std::string& what) {
  if (!j.is_object() || !j.contains("keyframes") || !j["keyframes"].is_array() || j["keyframes"].empty())
    throw std::runtime_error(what + " has no \"keyframes\" list");
  CameraPath p;
  for (size_t i = 0; i < j["keyframes"].size(); ++i) {
    const nlohmann::json& k = j["keyframes"][i];
    const std::string where = what + ", keyframe " + std::to_string(i);
    if (!k.is_object()) throw std::runtime_error(where + ": not an object");
    CameraKeyframe f;
    if (!k.contains("time") || !k["time"].is_number() || !std::isfinite(k["time"].get<double>()))
      throw std::runtime_error(where + ": \"time\" must be a number of seconds");
    f.time = k["time"].get<double>();
    if (!p.keyframes.empty() && !(f.time > p.keyframes.back().time))
      throw std::runtime_error(where + ": times must increase (" + std::to_string(f.time) + " after " +
                               std::to_string(p.keyframes.back().time) + ")");
    f.position = vec3At(k, "position", where);
    f.lookAt = vec3At(k, "look_at", where);
    if (glm::length(f.lookAt - f.position) < 1e-6f) throw std::runtime_error(where + ": \"look_at\" is the camera's own position");
    if (k.contains("fov")) {
      if (!k["fov"].is_number()) throw std::runtime_error(where + ": \"fov\" must be degrees");
      f.fovDeg = k["fov"].get<float>();
      if (!(f.fovDeg > 0 && f.fovDeg < 180)) throw std::runtime_error(where + ": \"fov\" must be between 0 and 180 degrees");
    }
    p.keyframes.push_back(f);
  }
  return p;
}

void writeCameraPath(const std::filesystem::path& file, const CameraPath& path) {
  writeBytesAtomically(file, cameraPathToJson(path).dump(2) + "\n");
}

nlohmann::json cameraPathToJson(const CameraPath& path) {
  nlohmann::json keys = nlohmann::json::array();
  for (const CameraKeyframe& k : path.keyframes)
    keys.push_back({{"time", k.time},
                    {"position", {k.position.x, k.position.y, k.position.z}},
                    {"look_at", {k.lookAt.x, k.lookAt.y, k.lookAt.z}},
                    {"fov", k.fovDeg}});
  return {{"keyframes", keys}};
}

}  // namespace fieldscope
