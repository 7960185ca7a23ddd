#pragma once
// Writing a shape's iso-surface from the command line (`sample` and `encode` of shape models): a
// progress line with an ETA, Ctrl-C cancels (no file is left), OBJ or PLY by the extension,
// written atomically, and a one-line report (docs/architecture.md "Commands").
#include <filesystem>
#include <string>

#include "app/cli/mesh_flags.h"  // checkMeshExtension, parseMeshResolution
#include "app/cli/output_name.h"  // lowerExtension
#include "model/geometry/mesh.h"

#include "model/shape/shape_model.h"

namespace fieldscope {

// Iso probability in (0, 1) ("--iso").
double parseIsoProbability(const std::string& text);

// Writes `mesh` as OBJ or PLY (by the extension, atomically) and returns the report line
// ("wrote PATH: N vertices, M triangles, closed 2-manifold, ..."). Throws std::runtime_error naming
// the file for a mesh without a surface (nothing is written) or a failed write.
std::string writeShapeMesh(const std::filesystem::path& out, const Mesh& mesh, int resolution, double iso);

// Throws std::runtime_error naming the file when the user cancels (nothing is written) or it fails.
void exportShapeMesh(ShapeModel& model, const TriplaneFields& fields, int resolution, double iso,
                     const std::filesystem::path& out);

}  // namespace fieldscope
