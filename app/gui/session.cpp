#include "app/gui/session.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "model/io/json_integer.h"

namespace fieldscope {

nlohmann::json sessionToJson(const Session& s) {
  nlohmann::json j;
  j["version"] = Session::kVersion;
  j["domain"] = s.domain.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.domain);
  j["model"] = s.modelPath.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.modelPath);
  j["state"] = s.state.is_object() ? s.state : nlohmann::json::object();
  j["panels"] = {{"performance", s.showPerf}, {"settings", s.showSettings}};
  j["settings"] = {{"tile_cache_mb", s.settings.tileCacheMB}};
  j["recent"] = {{"files", s.recentFiles}, {"folders", s.recentFolders}};
  return j;
}

void rememberRecent(std::vector<std::string>& list, const std::string& item) {
  if (item.empty()) return;
  list.erase(std::remove(list.begin(), list.end(), item), list.end());
  list.insert(list.begin(), item);
  if (list.size() > Session::kRecent) list.resize(Session::kRecent);
}

namespace {
template <class T>
T get(const nlohmann::json& obj, const char* section, const char* key, T fallback) {
  if (!obj.contains(key)) return fallback;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (obj.at(key).is_number()) return jsonInteger<T>(obj.at(key), std::string(section) + "." + key);
  }
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
  check(version == 1 || version == Session::kVersion,
        "version " + std::to_string(version) + " (this viewer reads versions 1 and " +
            std::to_string(Session::kVersion) + ")");
  Session s;
  if (j.contains("model") && !j.at("model").is_null()) s.modelPath = get<std::string>(j, "session", "model", "");
  if (version == 1) {
    // Version 1 knew only image models: its sample, grid and view are the image view's state.
    if (!s.modelPath.empty()) s.domain = "image";
    for (const char* key : {"sample", "grid", "view"})
      if (j.contains(key)) s.state[key] = j.at(key);
  } else {
    if (j.contains("domain") && !j.at("domain").is_null()) s.domain = get<std::string>(j, "session", "domain", "");
    if (j.contains("state")) s.state = section(j, "state");
  }
  check(s.modelPath.empty() || !s.domain.empty(), "a model without its domain");
  const nlohmann::json& panels = section(j, "panels");
  s.showPerf = get<bool>(panels, "panels", "performance", false);
  s.showSettings = get<bool>(panels, "panels", "settings", false);
  const nlohmann::json& st = section(j, "settings");
  s.settings.tileCacheMB = std::clamp(get<int>(st, "settings", "tile_cache_mb", ViewerSettings::kDefaultTileCacheMB),
                                      ViewerSettings::kMinTileCacheMB, ViewerSettings::kMaxTileCacheMB);
  const nlohmann::json& recent = section(j, "recent");
  for (const auto& [key, list] : {std::pair{"files", &s.recentFiles}, std::pair{"folders", &s.recentFolders}}) {
    if (!recent.contains(key)) continue;
    check(recent.at(key).is_array(), std::string("recent.") + key + " is not a list");
    for (const auto& v : recent.at(key)) {
      check(v.is_string() && !v.get<std::string>().empty() && v.get<std::string>().size() < 4096,
            std::string("recent.") + key + " holds an entry that is not a file name");
      if (list->size() < Session::kRecent) list->push_back(v.get<std::string>());
    }
  }
  return s;
}

}  // namespace fieldscope
