#pragma once
// An integer read from JSON that came from a file (a session, a model's config, a data set's
// manifest, a script). nlohmann's get<int>() converts any number with a cast: 2.5 becomes 2 and
// 1e30 is undefined behaviour (found by tests/fuzz/session_fuzz.cpp). This accepts an integer
// within T's range -- also written as 3.0 -- and otherwise throws std::runtime_error naming
// `what` and the value.
#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace fieldscope {

template <class T>
T jsonInteger(const nlohmann::json& v, const std::string& what) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  using Limits = std::numeric_limits<T>;
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (std::in_range<T>(u)) return T(u);
  } else if (v.is_number_integer()) {
    const int64_t s = v.get<int64_t>();
    if (std::in_range<T>(s)) return T(s);
  } else if (v.is_number_float()) {
    const double d = v.get<double>();
    // (max + 1 and min - 1 are exact or round outward in double, so the cast below is defined.)
    if (std::isfinite(d) && d == std::floor(d) && d > double(Limits::min()) - 1.0 && d < double(Limits::max()) + 1.0)
      return T(d);
  }
  throw std::runtime_error(what + " must be a whole number from " + std::to_string(Limits::min()) + " to " +
                           std::to_string(Limits::max()) + " (got " + v.dump() + ")");
}

// A JSON array of such integers ("channel_mult": [1, 2, 4]).
template <class T>
std::vector<T> jsonIntegerList(const nlohmann::json& v, const std::string& what) {
  if (!v.is_array()) throw std::runtime_error(what + " must be a list of whole numbers (got " + v.dump() + ")");
  std::vector<T> out;
  out.reserve(v.size());
  for (const nlohmann::json& e : v) out.push_back(jsonInteger<T>(e, what));
  return out;
}

// A positive integer entry of a data set's manifest (photo crops, clips): throws
// "'FILE': "KEY" is missing or not a positive integer" otherwise.
inline int manifestPositiveInteger(const nlohmann::json& manifest, const char* key, const std::filesystem::path& file) {
  const auto bad = [&] {
    std::string what(1, '\'');  // (appended: GCC 12 warns falsely on "'" + s at -O3, its bug 105651)
    what += file.string();
    what += "': \"";
    what += key;
    what += "\" is missing or not a positive integer";
    return std::runtime_error(what);
  };
  if (!manifest.is_object() || !manifest.contains(key) || !manifest.at(key).is_number_integer()) throw bad();
  int v = 0;
  try {
    v = jsonInteger<int>(manifest.at(key), key);
  } catch (const std::runtime_error&) {
    throw bad();
  }
  if (v < 1) throw bad();
  return v;
}

}  // namespace fieldscope
