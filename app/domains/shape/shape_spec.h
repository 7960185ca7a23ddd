#pragma once
// What the shape view shows (docs/architecture.md "The shape domain"): a seed's sample, the blend of
// two seeds' samples, or a user's mesh encoded by the model. Its JSON form is the session entry and
// is validated on the way in. Torch-free.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace fieldscope {

struct ShapeSpec {
  enum class Kind { Seed, Blend, Encoded };
  Kind kind = Kind::Seed;
  uint64_t seed = 0, seedB = 1;
  float t = 0.5f;
  int steps = 50;
  std::string mesh;  // Encoded: the OBJ file

  static constexpr int kMinSteps = 1, kMaxSteps = 1000;
  bool operator==(const ShapeSpec& o) const;
  std::string describe() const;  // "seed 3", "seed 3 -> 8 at 0.25", "encoded chair.obj"
  nlohmann::json toJson() const;
  // Throws std::runtime_error naming the entry for a wrong type or a value out of range.
  static ShapeSpec fromJson(const nlohmann::json& j);
};

}  // namespace fieldscope
