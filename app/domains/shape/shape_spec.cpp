#include "app/domains/shape/shape_spec.h"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "model/io/json_integer.h"

namespace fieldscope {

bool ShapeSpec::operator==(const ShapeSpec& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case Kind::Seed:
    case Kind::Grid: return seed == o.seed && steps == o.steps;
    case Kind::Blend: return seed == o.seed && seedB == o.seedB && t == o.t && steps == o.steps;
    case Kind::Encoded: return mesh == o.mesh;
  }
  return false;
}

std::string ShapeSpec::describe() const {
  switch (kind) {
    case Kind::Seed: return "seed " + std::to_string(seed);
    case Kind::Blend: {
      char b[96];
      std::snprintf(b, sizeof b, "seed %llu -> %llu at %.3f", static_cast<unsigned long long>(seed),
                    static_cast<unsigned long long>(seedB), t);
      return b;
    }
    case Kind::Encoded: return "encoded " + std::filesystem::path(mesh).filename().string();
    case Kind::Grid: return "seeds " + std::to_string(seed) + ".." + std::to_string(seed + kGridCols * kGridRows - 1);
  }
  return {};
}

ShapeSpec ShapeSpec::gridCell(int i) const {
  ShapeSpec s;
  s.kind = Kind::Seed;
  s.seed = seed + uint64_t(i);
  s.steps = steps;
  return s;
}

nlohmann::json ShapeSpec::toJson() const {
  switch (kind) {
    case Kind::Seed: return {{"kind", "seed"}, {"seed", seed}, {"steps", steps}};
    case Kind::Blend: return {{"kind", "blend"}, {"seed", seed}, {"seed_b", seedB}, {"t", t}, {"steps", steps}};
    case Kind::Encoded: return {{"kind", "encoded"}, {"mesh", mesh}};
    case Kind::Grid: return {{"kind", "grid"}, {"seed", seed}, {"steps", steps}};
  }
  return {};
}

ShapeSpec ShapeSpec::fromJson(const nlohmann::json& j) {
  ShapeSpec s;
  try {
    // Without "kind": the sample entry the command line writes for every domain (--seed, --blend:
    // {"seed", "blend", "seed_b", "t"}, app/gui/startup_plan.cpp).
    const std::string kind =
        j.contains("kind") ? j.at("kind").get<std::string>() : (j.value("blend", false) ? "blend" : "seed");
    if (kind == "encoded") {
      s.kind = Kind::Encoded;
      s.mesh = j.at("mesh").get<std::string>();
      if (s.mesh.empty()) throw std::runtime_error("an empty mesh path");
      return s;
    }
    if (kind != "seed" && kind != "blend" && kind != "grid") throw std::runtime_error("unknown kind '" + kind + "'");
    s.kind = kind == "seed" ? Kind::Seed : kind == "grid" ? Kind::Grid : Kind::Blend;
    s.seed = jsonInteger<uint64_t>(j.at("seed"), "seed");
    s.steps = j.value("steps", 50);
    if (s.steps < kMinSteps || s.steps > kMaxSteps) throw std::runtime_error("steps out of range");
    if (s.kind == Kind::Blend) {
      s.seedB = jsonInteger<uint64_t>(j.at("seed_b"), "seed_b");
      s.t = j.at("t").get<float>();
      if (!(s.t >= 0 && s.t <= 1)) throw std::runtime_error("t is not in [0, 1]");
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("shape sample entry: ") + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("shape sample entry: ") + e.what());
  }
  return s;
}

}  // namespace fieldscope
