#pragma once
// A solid's watertight triangle mesh, and the normalisation that the whole shape set shares: the
// mesh's bounding box centred on the origin with its longest side 1, so it fits [-0.5, 0.5]^3 —
// the convention of ObjReadOptions::normaliseToUnitCube (model/geometry/obj_reader.h), so
// procedural shapes and the user's meshes land in the same frame, inside the shape model's
// [-0.55, 0.55]^3 grid (../shared/DESIGN.md §5.1 "Shape").
#include <atomic>
#include <optional>

#include "model/geometry/mesh.h"
#include "model/shape_data/csg_solid.h"

namespace fieldscope {

struct SolidMeshOptions {
  int resolution = 128;                       // samples along the longest side of the solid's box
  const std::atomic<bool>* cancel = nullptr;  // checked by marching cubes between slabs
};

struct SolidMesh {
  Mesh mesh;    // normalised; closed, consistently oriented, outward normals (model/geometry/marching_cubes.h)
  Solid solid;  // the same solid in the normalised frame: its inside test labels the points
  double scale = 1;  // normalised = scale * (original - centre)
  Vec3d centre;
};

// Samples the signed distance on a grid of cubic cells over the solid's box (two cells of margin)
// and runs the project's marching cubes on it. std::nullopt when cancelled; std::runtime_error when
// the solid has no surface at this resolution.
std::optional<SolidMesh> meshSolid(const Solid& solid, const SolidMeshOptions& options = {});

// The axis-aligned bounding box of a mesh's vertices (an empty mesh gives an empty box at 0).
Bounds3 meshBounds(const Mesh& mesh);

}  // namespace fieldscope
