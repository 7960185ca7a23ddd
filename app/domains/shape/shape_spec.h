#pragma once
// What the shape view shows (docs/architecture.md "The shape domain"): a seed's sample, the blend of
// two seeds' samples, a seed grid (3 x 3 samples side by side, seeds seed .. seed + 8), or a user's
// mesh beside the model's encoding of it. Its JSON form is the session entry and is validated on
// the way in. Torch-free.
#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace fieldscope {

struct ShapeSpec {
  enum class Kind { Seed, Blend, Encoded, Grid };
  Kind kind = Kind::Seed;
  uint64_t seed = 0, seedB = 1;
  float t = 0.5f;
  int steps = 50;
  std::string mesh;  // Encoded: the OBJ file

  // The view's layout: shapes in a cols x rows mosaic, each in its own [-0.55, 0.55]^3 cell (row 0
  // on top): 1 x 1, the 3 x 3 seed grid, or the input mesh (left) and its encoding (right).
  static constexpr int kGridCols = 3, kGridRows = 3;
  int cols() const { return kind == Kind::Grid ? kGridCols : kind == Kind::Encoded ? 2 : 1; }
  int rows() const { return kind == Kind::Grid ? kGridRows : 1; }
  // A mosaic's geometry: each shape gets c^3 voxels (c a multiple of 4) in a pitch of 5c/4 (a gap of
  // c/4 between neighbours); the grid is n = k * pitch per side, k = max(cols, rows), over a box of
  // half-extent 0.55 n / c.
  int mosaicSide() const { return std::max(cols(), rows()); }
  static int mosaicCell(int requested, int k) { return std::max(24, requested / k / 4 * 4); }
  static int mosaicN(int cell, int k) { return k * cell * 5 / 4; }
  static int mosaicCellOf(int n, int k) { return n / k * 4 / 5; }
  // Grid: the seed sample in cell i (row-major from the top left).
  ShapeSpec gridCell(int i) const;

  static constexpr int kMinSteps = 1, kMaxSteps = 1000;
  bool operator==(const ShapeSpec& o) const;
  std::string describe() const;  // "seed 3", "seed 3 -> 8 at 0.25", "encoded chair.obj", "seeds 3..11"
  nlohmann::json toJson() const;
  // Throws std::runtime_error naming the entry for a wrong type or a value out of range.
  static ShapeSpec fromJson(const nlohmann::json& j);
};

}  // namespace fieldscope
