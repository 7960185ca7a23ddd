#pragma once
// A triangle mesh as the geometry code produces and consumes it: indexed, one normal and
// (optionally) one colour per vertex, counter-clockwise triangles seen from outside.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/geometry/vec3.h"

namespace fieldscope {

struct Mesh {
  std::vector<Vec3f> positions;
  std::vector<Vec3f> normals;   // empty, or one unit normal per position (pointing outward)
  std::vector<Vec3f> colours;   // empty, or one linear RGB colour in [0, 1] per position
  std::vector<std::array<std::uint32_t, 3>> triangles;  // counter-clockwise seen from outside
};

// Throws std::invalid_argument naming `what` (e.g. the file being written) when the mesh is not
// self-consistent: normals/colours of the wrong count, an index out of range, a non-finite
// position. Writers call it before creating any file, so a bad mesh never leaves a file behind.
void checkMeshConsistent(const Mesh& mesh, const std::string& what);

// 'path' in quotes, for messages.
std::string quotedPath(const std::filesystem::path& path);

}  // namespace fieldscope
