#pragma once
// What the 3D view (GridView3D) keeps in a session and shows in its panel, apart from the
// grid: the camera, the iso-level (in the unit the user sees), the clip plane, the render
// settings and the grid resolution the domain bakes at -- and their JSON, where every restored
// number is validated and clamped (NaN or 1e19 must not break anything: a wrong type is an
// error naming the entry, a number out of range is brought into it, a NaN keeps the value).
// Pure (no Vulkan, no ImGui): unit-tested in tests/viewer/.
#include <glm/vec3.hpp>
#include <glm/vec4.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "render/orbit_camera.h"

namespace fieldscope {

// How the iso-level slider maps onto the grid's values. An occupancy-logit grid is shown as a
// probability p (the shader gets log(p / (1 - p))); a density grid (NeRF) as the density itself.
struct IsoScale {
  enum class Kind { Logit, Linear };
  Kind kind = Kind::Logit;
  float min = 0.01f, max = 0.99f;  // the slider's range, in shown units
  float initial = 0.5f;
  bool logarithmic = false;        // a logarithmic slider (densities spanning decades)
  std::string label = "iso-level (probability)";

  float toShader(float shown) const;  // Logit: log(p / (1 - p)); Linear: shown
  float fromShader(float value) const;
  float clamp(float shown) const;     // into [min, max]; NaN gives `initial`

  static IsoScale occupancyProbability() { return {}; }
  static IsoScale linear(float min, float max, float initial, std::string label, bool logarithmic = false);
};

enum class ClipAxis { X, Y, Z, View };

// The clip plane: the half-space dot(normal, p) > offset is removed (the cut face is drawn).
struct ClipState {
  bool enabled = false;
  ClipAxis axis = ClipAxis::X;
  glm::vec3 viewNormal{0, 0, 1};  // the normal ClipAxis::View took from the camera (unit, towards it)
  float offset = 0.0f;            // world units along the normal
  bool flip = false;              // remove the other side
  glm::vec3 normal() const;       // unit; flipped when `flip`
  // (n, d) for RaymarchSettings::clipPlane; empty when off.
  std::optional<glm::vec4> plane() const;
};

struct View3DRenderState {
  bool dynamicResolution = true;
  float targetFps = 30.0f;
  std::string mode = "shaded";  // one of the view's render modes
  bool exactStill = true;       // the domain's exact still frame at rest (where it has one)
};

struct View3DState {
  OrbitCameraState camera;
  float iso = 0.5f;  // shown units (IsoScale)
  ClipState clip;
  View3DRenderState render;
  int resolution = 128;  // of the grid the domain bakes
};

// The bounds a restored state is brought into.
struct View3DLimits {
  IsoScale iso;
  float targetRange = 2.0f;   // |camera target| per axis
  float offsetRange = 1.0f;   // |clip offset|
  int minResolution = 64, maxResolution = 512;
  std::vector<std::string> modes{"shaded"};
};

nlohmann::json view3dStateToJson(const View3DState& s);
// The entries present in `j` over `base` (missing or null entries keep base's). Throws
// std::runtime_error naming the entry ("view3d.camera.distance is not a number") for a wrong type
// or an unknown mode / axis.
View3DState view3dStateFromJson(const nlohmann::json& j, const View3DState& base, const View3DLimits& limits);

const char* clipAxisName(ClipAxis a);

}  // namespace fieldscope
