#include "app/gui/session.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace fieldscope {

nlohmann::json sessionToJson(const Session& s) {
  nlohmann::json j;
  j["version"] = Session::kVersion;
  j["model"] = s.modelPath.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.modelPath);
  j["sample"] = {{"seed", s.sample.seed}, {"steps", s.sample.steps}, {"eta", s.sample.eta},
                 {"blend", s.sample.blend}, {"seed_b", s.sample.seedB}, {"t", s.sample.t},
                 {"plane", s.sample.plane}, {"plane_x", s.sample.planeX}, {"plane_y", s.sample.planeY}};
  j["grid"] = s.grid;
  if (s.haveView) j["view"] = {{"cx", s.cx}, {"cy", s.cy}, {"zoom", s.zoom}};
  j["panels"] = {{"performance", s.showPerf}, {"settings", s.showSettings}};
  j["settings"] = {{"tile_cache_mb", s.settings.tileCacheMB}};
  return j;
}

namespace {
template <class T>
T get(const nlohmann::json& obj, const char* section, const char* key, T fallback) {
  if (!obj.contains(key)) return fallback;
  try {
    return obj.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error(std::string(section) + "." + key + " has the wrong type (" + obj.at(key).dump() + ")");
  }
}

const nlohmann::json& section(const nlohmann::json& j, const char* name) {
  static const nlohmann::json empty = nlohmann::json::object();
  if (!j.contains(name)) return empty;
  if (!j.at(name).is_object()) throw std::runtime_error(std::string(name) + " is not an object");
  return j.at(name);
}

void check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}
}  // namespace

Session sessionFromJson(const nlohmann::json& j) {
  check(j.is_object(), "not a JSON object");
  const int version = get<int>(j, "session", "version", 0);
  check(version == Session::kVersion,
        "version " + std::to_string(version) + " (this viewer reads version " + std::to_string(Session::kVersion) + ")");
  Session s;
  if (j.contains("model") && !j.at("model").is_null()) s.modelPath = get<std::string>(j, "session", "model", "");

  const nlohmann::json& sm = section(j, "sample");
  SampleSpec& p = s.sample;
  p.seed = get<uint64_t>(sm, "sample", "seed", p.seed);
  p.steps = get<int>(sm, "sample", "steps", p.steps);
  p.eta = get<float>(sm, "sample", "eta", p.eta);
  p.blend = get<bool>(sm, "sample", "blend", p.blend);
  p.seedB = get<uint64_t>(sm, "sample", "seed_b", p.seedB);
  p.t = get<float>(sm, "sample", "t", p.t);
  p.plane = get<bool>(sm, "sample", "plane", p.plane);
  p.planeX = get<double>(sm, "sample", "plane_x", p.planeX);
  p.planeY = get<double>(sm, "sample", "plane_y", p.planeY);
  check(std::isfinite(p.planeX) && std::isfinite(p.planeY) && p.planeX >= 0 && p.planeY >= 0 && p.planeX < 1e9 &&
            p.planeY < 1e9,
        "sample.plane_x / plane_y must be numbers in 0..1e9");
  check(p.steps >= 1 && p.steps <= 1000, "sample.steps " + std::to_string(p.steps) + " is outside 1..1000");
  check(p.eta >= 0 && p.eta <= 1, "sample.eta is outside 0..1");
  check(p.t >= 0 && p.t <= 1, "sample.t is outside 0..1");
  s.grid = get<bool>(j, "session", "grid", false);

  if (j.contains("view")) {
    const nlohmann::json& v = section(j, "view");
    s.cx = get<double>(v, "view", "cx", 0.5);
    s.cy = get<double>(v, "view", "cy", 0.5);
    s.zoom = get<double>(v, "view", "zoom", 1.0);
    check(std::isfinite(s.cx) && std::isfinite(s.cy), "view.cx / view.cy are not finite numbers");
    check(std::isfinite(s.zoom) && s.zoom > 0, "view.zoom must be a positive number");
    s.haveView = true;
  }
  const nlohmann::json& panels = section(j, "panels");
  s.showPerf = get<bool>(panels, "panels", "performance", false);
  s.showSettings = get<bool>(panels, "panels", "settings", false);
  const nlohmann::json& st = section(j, "settings");
  s.settings.tileCacheMB = std::clamp(get<int>(st, "settings", "tile_cache_mb", ViewerSettings::kDefaultTileCacheMB),
                                      ViewerSettings::kMinTileCacheMB, ViewerSettings::kMaxTileCacheMB);
  return s;
}

}  // namespace fieldscope
