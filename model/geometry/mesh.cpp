#include "model/geometry/mesh.h"

#include <cmath>
#include <stdexcept>

namespace fieldscope {

namespace {
bool finite(const Vec3f& v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }
}  // namespace

void checkMeshConsistent(const Mesh& mesh, const std::string& what) {
  const std::size_t n = mesh.positions.size();
  if (!mesh.normals.empty() && mesh.normals.size() != n)
    throw std::invalid_argument(what + ": " + std::to_string(mesh.normals.size()) + " normals for " +
                                std::to_string(n) + " vertices");
  if (!mesh.colours.empty() && mesh.colours.size() != n)
    throw std::invalid_argument(what + ": " + std::to_string(mesh.colours.size()) + " colours for " +
                                std::to_string(n) + " vertices");
  if (n > 0xffffffffull) throw std::invalid_argument(what + ": more than 2^32 vertices");
  for (std::size_t i = 0; i < n; ++i)
    if (!finite(mesh.positions[i]))
      throw std::invalid_argument(what + ": vertex " + std::to_string(i) + " has a non-finite coordinate");
  for (std::size_t t = 0; t < mesh.triangles.size(); ++t)
    for (std::uint32_t index : mesh.triangles[t])
      if (index >= n)
        throw std::invalid_argument(what + ": triangle " + std::to_string(t) + " uses vertex " +
                                    std::to_string(index) + " of " + std::to_string(n));
}

std::string quotedPath(const std::filesystem::path& path) {
  // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on "'" + string + "'".
  std::string quoted(1, '\'');
  quoted += path.string();
  quoted.push_back('\'');
  return quoted;
}

}  // namespace fieldscope
