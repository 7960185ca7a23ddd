#pragma once
// Reading a user's OBJ mesh (the shape dataset's "folder of the user's meshes", docs/architecture.md "Data")
// with tinyobjloader: polygons are triangulated, materials are ignored (a missing .mtl is fine),
// and a file that is empty, has a NaN/Inf/huge coordinate or a broken or out-of-range index is
// rejected with std::runtime_error naming the file (and the line). Never crashes on bad input.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/geometry/mesh.h"

namespace fieldscope {

struct ObjReadOptions {
  // Centre the bounding box on the origin and scale uniformly so that its longest side is 1
  // (the mesh then fits [-0.5, 0.5]^3, inside the shape domain's [-0.55, 0.55]^3 grid).
  bool normaliseToUnitCube = false;
  // Coordinates beyond ±this are rejected: float loses sub-unit precision there, and such a file
  // is far more likely broken than a real model.
  double maxAbsCoordinate = 1e7;
};

struct ObjReadResult {
  Mesh mesh;                          // positions, triangles and vertex colours when every vertex has one
  std::vector<std::string> warnings;  // what was ignored (degenerate faces, materials), for the log
};

ObjReadResult readObj(const std::filesystem::path& path, const ObjReadOptions& options = {});
// The same for text already in memory; `name` is used in messages in place of the file name.
ObjReadResult readObjText(std::string_view text, const std::string& name, const ObjReadOptions& options = {});

}  // namespace fieldscope
