#pragma once
// One shape's training samples (issue 12, item 2; the model's input and loss, ../shared/DESIGN.md
// §5.1 "Shape": a point cloud of the surface for the PointNet encoder, occupancy labels at query
// points for the BCE loss):
// - surface points, area-weighted on the mesh, with unit outward normals;
// - query points: a uniform share in [-0.55, 0.55]^3 (the model's grid box) and the rest near
//   the surface (fresh surface points + isotropic Gaussian noise, sigma 0.02, and a share at
//   sigma 0.005 for the fine detail), shuffled together;
// - labels: inside (1) / outside (0) by the solid's exact test (procedural shapes) or by the
//   generalized winding number w > 0.5 (the user's meshes, which may be slightly open).
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "model/geometry/mesh.h"
#include "model/shape_data/csg_solid.h"
#include "model/shape_data/shape_record.h"

namespace fieldscope {

struct ShapeSampleOptions {
  int surfacePoints = 10000;
  int queryPoints = 50000;
  double bound = 0.55;             // uniform queries in [-bound, bound]^3
  double uniformFraction = 0.5;    // of the queries
  double sigma = 0.02;             // near-surface noise
  double fineSigma = 0.005;        // ... for a share of them
  double fineFraction = 0.25;      // of the near-surface queries
  int threads = 1;                 // winding-number labelling
  const std::atomic<bool>* cancel = nullptr;
};

// Labels points given as x, y, z triples: 1 inside, 0 outside. Returns false when cancelled.
using InsideTest = std::function<bool(std::span<const float> xyz, std::span<std::uint8_t> labels)>;

// The common path: surface samples from `mesh` (normals interpolated from the mesh's vertex
// normals when it has them, else the triangle's), queries labelled by `inside`. All randomness
// from `seed`. std::nullopt when cancelled; std::runtime_error when the mesh has no area.
std::optional<ShapeRecord> sampleShape(const Mesh& mesh, const InsideTest& inside, const ShapeSampleOptions& options,
                                       std::uint64_t seed);

// A procedural shape: `mesh` and `solid` in the same (normalised) frame; labels by solid.inside;
// surface points moved onto the solid's exact surface, normals from its exact gradient.
std::optional<ShapeRecord> sampleSolidShape(const Mesh& mesh, const Solid& solid, const ShapeSampleOptions& options,
                                            std::uint64_t seed);

// A user's mesh (already normalised): labels by winding number > 0.5; each surface normal is the
// triangle's, turned where the winding number says it points into the solid (a few triangles
// facing the wrong way among consistent neighbours). A mesh whose signed volume is negative
// (inside out) is flipped first. std::runtime_error when no query point is inside.
std::optional<ShapeRecord> sampleMeshShape(const Mesh& mesh, const ShapeSampleOptions& options, std::uint64_t seed);

}  // namespace fieldscope

namespace fieldscope {
// Reverses every triangle of a mesh whose signed volume is negative (an inside-out export);
// returns whether it did. Normals, if any, are negated too.
bool turnOutward(Mesh& mesh);
}  // namespace fieldscope
