#pragma once
// The shape data set folder (docs/architecture.md "Data"; issue 12, item 2):
//
//   DIR/manifest.json            what was made: generator, seed, counts, sampling, per shape its files,
//                                split, family and parameters (or source mesh)
//   DIR/train/shape_00000.obj    the shape's watertight mesh (normalised: box centred, longest side 1)
//   DIR/train/shape_00000.shape  its samples (shape_record.h)
//   DIR/test/...                 the held-out split: every 10th index (index % 10 == 9)
//
// Procedural: shape i of seed S is drawn from its own random stream (procedural_shapes.h), so a
// set is reproducible byte for byte whatever the thread count, and shape i is the same in a set
// of any size. From a folder of meshes: every *.obj below it, sorted by path; position i in that
// order is the index (so the split does not move when a mesh fails); a mesh that cannot be read or
// sampled is skipped with its reason.
//
// Nothing half-made is ever left: the set is built in DIR/.fieldscope-partial and moved into place
// at the end (a previous set's train/, test/ and manifest.json are replaced only then); a cancel or
// an error removes the partial folder.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace fieldscope {

struct ShapeDatasetOptions {
  int count = 1000;                 // procedural shapes; with `fromMeshes`, at most this many meshes (-1: all)
  std::uint64_t seed = 0;
  std::filesystem::path fromMeshes;  // empty: procedural
  int surfacePoints = 10000;
  int queryPoints = 50000;
  int meshGrid = 96;                // marching-cubes samples along a procedural shape's longest side
  int threads = 0;                  // shapes made at once; 0: one per hardware thread
  bool force = false;               // write into a non-empty folder that is not a shape data set
  std::function<void(int done, int total)> progress;   // on the calling thread, ~10 times a second
  std::function<void(const std::string&)> message;    // skipped meshes and the like, on the calling thread
  std::function<bool()> cancelled;                     // polled on the calling thread
};

struct ShapeDatasetSummary {
  int train = 0, test = 0;
  int skipped = 0;    // meshes that could not be used (--from)
  int redrawn = 0;    // procedural shapes drawn again because their mesh was not one closed manifold
  bool cancelled = false;
  double seconds = 0;
};

// Throws std::runtime_error naming the folder: not a folder, non-empty and not a shape data set
// (without `force`), no meshes in `fromMeshes`, a write that failed (disk full...).
ShapeDatasetSummary makeShapeDataset(const std::filesystem::path& dir, const ShapeDatasetOptions& options);

// Whether `dir` holds a shape data set's manifest.json.
bool isShapeDataset(const std::filesystem::path& dir);

inline constexpr const char* kShapeDatasetFormat = "fieldscope-shape-dataset";
inline constexpr const char* kShapeDatasetPartial = ".fieldscope-partial";

}  // namespace fieldscope
