#pragma once
// The small vector types geometry needs: Vec3f for storage (meshes are large, float is enough for
// positions and normals), Vec3d for arithmetic (volumes and areas are summed in double).
#include <cmath>

namespace fieldscope {

struct Vec3f {
  float x = 0, y = 0, z = 0;
};

struct Vec3d {
  double x = 0, y = 0, z = 0;
};

inline Vec3d toDouble(const Vec3f& v) { return {v.x, v.y, v.z}; }
inline Vec3f toFloat(const Vec3d& v) {
  return {static_cast<float>(v.x), static_cast<float>(v.y), static_cast<float>(v.z)};
}

inline Vec3d operator+(const Vec3d& a, const Vec3d& b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3d operator-(const Vec3d& a, const Vec3d& b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3d operator*(double s, const Vec3d& a) { return {s * a.x, s * a.y, s * a.z}; }
inline double dot(const Vec3d& a, const Vec3d& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3d cross(const Vec3d& a, const Vec3d& b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline double length(const Vec3d& a) { return std::sqrt(dot(a, a)); }

}  // namespace fieldscope
