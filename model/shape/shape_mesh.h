#pragma once
// A shape sample as a mesh (docs/architecture.md "Data flow of one decode"): the occupancy field
// evaluated plane by plane (coarse to fine) at n^3 voxel centres and cut by marching cubes at the iso-level the user
// sees (a probability, as in the view). Memory is a few planes, whatever n, so a 512^3 export
// needs no 512 MB grid.
#include <atomic>
#include <functional>
#include <optional>

#include "model/geometry/mesh.h"
#include "model/shape/shape_model.h"

namespace fieldscope {

struct ShapeMeshOptions {
  int resolution = 128;        // n: samples per axis
  double isoProbability = 0.5;  // inside where the occupancy probability > this
  // Coarse to fine (model/shape/refined_field.h), the band 5 logits either side of the iso-level;
  // 0: RefinedFieldPlanes::autoStride, 1: every voxel exact.
  int stride = 0;
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(double)> progress;  // fraction done
};

// Throws std::invalid_argument for n outside [8, 1024] or iso outside (0, 1). nullopt when cancelled.
std::optional<Mesh> shapeMesh(ShapeModel& model, const TriplaneFields& fields, const ShapeMeshOptions& options);

}  // namespace fieldscope
