#include "app/domains/image/sample_spec_json.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "model/diffusion/class_guidance.h"
#include "model/io/json_integer.h"

namespace fieldscope {

nlohmann::json sampleSpecToJson(const SampleSpec& p) {
  return {{"seed", p.seed},   {"steps", p.steps}, {"eta", p.eta},       {"blend", p.blend},     {"seed_b", p.seedB},
          {"t", p.t},         {"plane", p.plane}, {"plane_x", p.planeX}, {"plane_y", p.planeY},
          {"group", p.group}, {"guidance", p.guidance}};
}

namespace {
template <class T>
T get(const nlohmann::json& obj, const char* key, T fallback) {
  if (!obj.contains(key)) return fallback;
  const nlohmann::json& v = obj.at(key);
  // Seeds are unsigned: a negative or fractional number is not silently wrapped.
  if constexpr (std::is_same_v<T, uint64_t>) {
    if (!v.is_number_unsigned()) throw std::runtime_error(std::string("sample.") + key + " is not a seed (" + v.dump() + ")");
  }
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (v.is_number()) return jsonInteger<T>(v, std::string("sample.") + key);
  }
  try {
    return v.get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error(std::string("sample.") + key + " has the wrong type (" + v.dump() + ")");
  }
}

void check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}
}  // namespace

SampleSpec sampleSpecFromJson(const nlohmann::json& j) {
  check(j.is_object(), "sample is not an object");
  SampleSpec p;
  p.seed = get<uint64_t>(j, "seed", p.seed);
  p.steps = get<int>(j, "steps", p.steps);
  p.eta = get<float>(j, "eta", p.eta);
  p.blend = get<bool>(j, "blend", p.blend);
  p.seedB = get<uint64_t>(j, "seed_b", p.seedB);
  p.t = get<float>(j, "t", p.t);
  p.plane = get<bool>(j, "plane", p.plane);
  p.planeX = get<double>(j, "plane_x", p.planeX);
  p.planeY = get<double>(j, "plane_y", p.planeY);
  check(std::isfinite(p.planeX) && std::isfinite(p.planeY) && p.planeX >= 0 && p.planeY >= 0 && p.planeX < 1e9 &&
            p.planeY < 1e9,
        "sample.plane_x / plane_y must be numbers in 0..1e9");
  p.group = get<int>(j, "group", p.group);
  p.guidance = get<float>(j, "guidance", p.guidance);
  check((p.group >= kAnyClass && p.group < 100000) || (p.group <= kFirstGroup && p.group > kFirstGroup - 100000),
        "sample.group " + std::to_string(p.group) + " is not a class (-2 any, -1 none, 0.. a class, -100.. a group of classes)");
  check(std::isfinite(p.guidance) && p.guidance <= 20, "sample.guidance is above 20 or not a number");
  check(p.steps >= 1 && p.steps <= 1000, "sample.steps " + std::to_string(p.steps) + " is outside 1..1000");
  check(p.eta >= 0 && p.eta <= 1, "sample.eta is outside 0..1");
  check(p.t >= 0 && p.t <= 1, "sample.t is outside 0..1");
  return p;
}

}  // namespace fieldscope
