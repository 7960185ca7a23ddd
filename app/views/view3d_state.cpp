#include "app/views/view3d_state.h"

#include <algorithm>
#include <cmath>
#include <glm/geometric.hpp>
#include <stdexcept>

#include "render/dynamic_resolution.h"

namespace fieldscope {

namespace {
constexpr float kLogitLimit = 1e-6f;  // p stays in [1e-6, 1 - 1e-6]: logits within +-13.8

std::runtime_error badEntry(const std::string& where, const char* what) {
  return std::runtime_error("view3d." + where + " " + what);
}

// A number entry: missing / null / NaN keep `current`; +-inf and huge values clamp.
double number(const nlohmann::json& j, const char* key, double current, double lo, double hi,
              const std::string& where) {
  if (!j.contains(key) || j.at(key).is_null()) return current;
  const nlohmann::json& v = j.at(key);
  if (!v.is_number()) throw badEntry(where + key, "is not a number");
  const double x = v.get<double>();
  if (std::isnan(x)) return current;
  return std::clamp(x, lo, hi);
}

bool boolean(const nlohmann::json& j, const char* key, bool current, const std::string& where) {
  if (!j.contains(key) || j.at(key).is_null()) return current;
  if (!j.at(key).is_boolean()) throw badEntry(where + key, "is not true or false");
  return j.at(key).get<bool>();
}

const nlohmann::json* object(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.contains(key) || j.at(key).is_null()) return nullptr;
  if (!j.at(key).is_object()) throw badEntry(where + key, "is not an object");
  return &j.at(key);
}

// [x, y, z]: each entry a number entry.
glm::vec3 vec3Entry(const nlohmann::json& j, const char* key, glm::vec3 current, float range, const std::string& where) {
  if (!j.contains(key) || j.at(key).is_null()) return current;
  const nlohmann::json& v = j.at(key);
  if (!v.is_array() || v.size() != 3) throw badEntry(where + key, "is not [x, y, z]");
  glm::vec3 r = current;
  for (int i = 0; i < 3; ++i) {
    if (v[i].is_null()) continue;
    if (!v[i].is_number()) throw badEntry(where + key, "is not [x, y, z] of numbers");
    const double x = v[i].get<double>();
    if (!std::isnan(x)) r[i] = float(std::clamp(x, double(-range), double(range)));
  }
  return r;
}
}  // namespace

float IsoScale::clamp(float shown) const {
  if (std::isnan(shown)) return initial;
  return std::clamp(shown, min, max);
}

float IsoScale::toShader(float shown) const {
  if (kind == Kind::Linear) return shown;
  const float p = std::clamp(shown, kLogitLimit, 1.0f - kLogitLimit);
  return std::log(p / (1.0f - p));
}

float IsoScale::fromShader(float value) const {
  if (kind == Kind::Linear) return value;
  return 1.0f / (1.0f + std::exp(-value));
}

IsoScale IsoScale::linear(float min, float max, float initial, std::string label, bool logarithmic) {
  IsoScale s;
  s.kind = Kind::Linear;
  s.min = min;
  s.max = max;
  s.initial = initial;
  s.label = std::move(label);
  s.logarithmic = logarithmic;
  return s;
}

glm::vec3 ClipState::normal() const {
  glm::vec3 n = axis == ClipAxis::X   ? glm::vec3(1, 0, 0)
                : axis == ClipAxis::Y ? glm::vec3(0, 1, 0)
                : axis == ClipAxis::Z ? glm::vec3(0, 0, 1)
                                      : viewNormal;
  const float len = glm::length(n);
  n = std::isfinite(len) && len > 1e-6f ? n / len : glm::vec3(0, 0, 1);
  return flip ? -n : n;
}

std::optional<glm::vec4> ClipState::plane() const {
  if (!enabled) return std::nullopt;
  return glm::vec4(normal(), -offset);
}

const char* clipAxisName(ClipAxis a) {
  switch (a) {
    case ClipAxis::X: return "x";
    case ClipAxis::Y: return "y";
    case ClipAxis::Z: return "z";
    case ClipAxis::View: return "view";
  }
  return "x";
}

nlohmann::json view3dStateToJson(const View3DState& s) {
  const OrbitCameraState& c = s.camera;
  return {{"camera",
           {{"azimuth", c.azimuthDeg},
            {"elevation", c.elevationDeg},
            {"distance", c.distance},
            {"target", {c.target.x, c.target.y, c.target.z}},
            {"fov", c.fovYDeg}}},
          {"iso", s.iso},
          {"clip",
           {{"enabled", s.clip.enabled},
            {"axis", clipAxisName(s.clip.axis)},
            {"normal", {s.clip.viewNormal.x, s.clip.viewNormal.y, s.clip.viewNormal.z}},
            {"offset", s.clip.offset},
            {"flip", s.clip.flip}}},
          {"render",
           {{"dynamic_resolution", s.render.dynamicResolution},
            {"target_fps", s.render.targetFps},
            {"mode", s.render.mode},
            {"exact_still", s.render.exactStill}}},
          {"resolution", s.resolution}};
}

View3DState view3dStateFromJson(const nlohmann::json& j, const View3DState& base, const View3DLimits& limits) {
  if (!j.is_object()) throw std::runtime_error("view3d state is not an object");
  View3DState s = base;
  if (const nlohmann::json* c = object(j, "camera", "")) {
    OrbitCameraState cam = s.camera;
    const std::string w = "camera.";
    // Azimuth wraps (any finite angle is one); the rest clamp to the camera's limits.
    if (c->contains("azimuth") && !c->at("azimuth").is_null()) {
      if (!c->at("azimuth").is_number()) throw badEntry(w + "azimuth", "is not a number");
      const double a = c->at("azimuth").get<double>();
      if (std::isfinite(a)) cam.azimuthDeg = float(std::remainder(a, 360.0));
    }
    cam.elevationDeg = float(number(*c, "elevation", cam.elevationDeg, -OrbitCamera::kMaxElevationDeg,
                                    OrbitCamera::kMaxElevationDeg, w));
    cam.distance = float(number(*c, "distance", cam.distance, OrbitCamera::kMinDistance, OrbitCamera::kMaxDistance, w));
    cam.fovYDeg = float(number(*c, "fov", cam.fovYDeg, OrbitCamera::kMinFovDeg, OrbitCamera::kMaxFovDeg, w));
    cam.target = vec3Entry(*c, "target", cam.target, limits.targetRange, w);
    s.camera = OrbitCamera(cam).state();  // the camera's own clamping, once more
  }
  s.iso = limits.iso.clamp(float(number(j, "iso", s.iso, limits.iso.min, limits.iso.max, "")));
  if (const nlohmann::json* c = object(j, "clip", "")) {
    const std::string w = "clip.";
    s.clip.enabled = boolean(*c, "enabled", s.clip.enabled, w);
    s.clip.flip = boolean(*c, "flip", s.clip.flip, w);
    s.clip.offset = float(number(*c, "offset", s.clip.offset, -limits.offsetRange, limits.offsetRange, w));
    if (c->contains("axis") && !c->at("axis").is_null()) {
      const nlohmann::json& a = c->at("axis");
      if (!a.is_string()) throw badEntry(w + "axis", "is not one of x, y, z, view");
      const std::string name = a.get<std::string>();
      bool known = false;
      for (ClipAxis axis : {ClipAxis::X, ClipAxis::Y, ClipAxis::Z, ClipAxis::View})
        if (name == clipAxisName(axis)) s.clip.axis = axis, known = true;
      if (!known) throw badEntry(w + "axis", "is not one of x, y, z, view");
    }
    const glm::vec3 n = vec3Entry(*c, "normal", s.clip.viewNormal, 1.0f, w);
    const float len = glm::length(n);
    if (std::isfinite(len) && len > 1e-3f) s.clip.viewNormal = n / len;  // a zero normal keeps the old one
  }
  if (const nlohmann::json* r = object(j, "render", "")) {
    const std::string w = "render.";
    s.render.dynamicResolution = boolean(*r, "dynamic_resolution", s.render.dynamicResolution, w);
    s.render.exactStill = boolean(*r, "exact_still", s.render.exactStill, w);
    s.render.targetFps = float(number(*r, "target_fps", s.render.targetFps, DynamicResolutionSettings::kMinTargetFps,
                                      DynamicResolutionSettings::kMaxTargetFps, w));
    if (r->contains("mode") && !r->at("mode").is_null()) {
      const nlohmann::json& m = r->at("mode");
      if (!m.is_string() || std::find(limits.modes.begin(), limits.modes.end(), m.get<std::string>()) == limits.modes.end()) {
        std::string known;
        for (const auto& k : limits.modes) known += (known.empty() ? "" : ", ") + k;
        throw badEntry(w + "mode", ("is not one of " + known).c_str());
      }
      s.render.mode = m.get<std::string>();
    }
  }
  s.resolution = int(std::lround(number(j, "resolution", s.resolution, limits.minResolution, limits.maxResolution, "")));
  return s;
}

}  // namespace fieldscope
