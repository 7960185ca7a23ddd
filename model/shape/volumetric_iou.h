#pragma once
// Volumetric IoU of shape reconstructions in the Occupancy Networks protocol (docs/architecture.md
// "Models"): points drawn uniformly in the model's box [-0.55, 0.55]^3, labelled by the true shape,
// against the decoded occupancy (logit > 0) of the latent the encoder makes from the shape's surface
// points. The training log's IoU uses the dataset's mixed queries (half of them near the surface),
// which is stricter; the model card reports both.
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/shape/shape_eval.h"
#include "model/shape/shape_vae.h"
#include "model/util/work_progress.h"

namespace fieldscope {

struct LabelledShape {
  std::string name;        // family and index, or the OBJ's name
  torch::Tensor surface;   // S x 3 float, the encoder's input
  torch::Tensor points;    // Q x 3 float, uniform in the box
  torch::Tensor labels;    // Q float, 1 inside
};

// Held-out procedural shapes made on the fly: indices 9, 19, 29, ... of the procedural set `seed`
// (the set's held-out rule, index % 10 == 9: never trained on), meshed at `meshResolution` for the
// surface samples; labels from the solid's exact inside test. `progress` counts shapes made.
std::vector<LabelledShape> proceduralHeldOutShapes(int count, std::uint64_t seed, int surfacePoints, int uniformPoints,
                                                   int meshResolution = 64, const WorkProgress& progress = {});

// The held-out meshes of a shape dataset folder (DIR/test/*.obj, sorted, at most `maxCount`),
// labelled by winding number. Throws std::runtime_error naming the folder or file.
std::vector<LabelledShape> folderHeldOutShapes(const std::filesystem::path& dir, int maxCount, int surfacePoints,
                                               int uniformPoints, int threads = 1, const WorkProgress& progress = {});

// Encodes each shape's surface points (posterior mean), decodes at its points: IoU per shape.
// `progress` counts shapes scored.
ShapeReconstruction reconstructionIoU(ShapeVae& vae, const std::vector<LabelledShape>& shapes,
                                      const WorkProgress& progress = {});

}  // namespace fieldscope
