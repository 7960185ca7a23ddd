#pragma once
// A NeRF scene's surface as a mesh (docs/architecture.md "The NeRF domain"): the density baked on
// an n^3 grid (the 3D view's axes, +Y up, as OBJ expects), the iso-surface where the density
// reaches `density` (per world unit) by the shared marching cubes, each vertex coloured by the
// baked colour there (trilinear). Cancel and progress as the other long jobs.
#include <atomic>
#include <functional>
#include <optional>

#include "model/geometry/mesh.h"
#include "model/nerf/nerf_field.h"
#include "model/util/work_progress.h"

namespace fieldscope {

// The memory the bake and the extraction take (the grid of 4 channels and the density alone).
uint64_t nerfMeshBytes(int n);

std::optional<Mesh> nerfDensityMesh(const NerfField& field, int n, double density, const std::atomic<bool>* cancel,
                                    const WorkProgress& bakeProgress, const std::function<void(double)>& meshProgress);

}  // namespace fieldscope
