#pragma once
// The small vector algebra of the NeRF scene library (docs/architecture.md "Data", "NeRF scenes"):
// 3-vectors in double precision and the 4x4 camera-to-world matrices of the transforms files,
// stored row-major as in the JSON ("transform_matrix": four rows).
#include <array>
#include <cmath>
#include <cstddef>

namespace fieldscope {

struct Vec3 {
  double x = 0, y = 0, z = 0;
};
inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator*(double s, Vec3 a) { return {s * a.x, s * a.y, s * a.z}; }
inline double dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3 cross(Vec3 a, Vec3 b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }
inline double length(Vec3 a) { return std::sqrt(dot(a, a)); }
inline Vec3 normalize(Vec3 a) { return (1.0 / length(a)) * a; }

// A rotation as its three rows (world = R * local; local = R^T * world for the rows' dot products).
struct Mat3 {
  Vec3 r0{1, 0, 0}, r1{0, 1, 0}, r2{0, 0, 1};
};
inline Vec3 operator*(const Mat3& m, Vec3 v) { return {dot(m.r0, v), dot(m.r1, v), dot(m.r2, v)}; }
// R^T * v: world to local.
inline Vec3 transposeTimes(const Mat3& m, Vec3 v) { return v.x * m.r0 + v.y * m.r1 + v.z * m.r2; }

// A camera-to-world matrix, row-major (element (row, col) at [4 * row + col]).
using Matrix4 = std::array<float, 16>;
inline Vec3 matrixColumn(const Matrix4& m, int col) {
  return {m[static_cast<std::size_t>(col)], m[static_cast<std::size_t>(4 + col)], m[static_cast<std::size_t>(8 + col)]};
}

}  // namespace fieldscope
