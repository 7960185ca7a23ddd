#include "model/shape/mesh_surface_points.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

#include "model/geometry/obj_reader.h"
#include "model/shape_data/shape_samples.h"

namespace fieldscope {

torch::Tensor meshSurfacePoints(const std::filesystem::path& obj, int count, uint64_t seed,
                                std::vector<std::string>* warnings) {
  ObjReadOptions read;
  read.normaliseToUnitCube = true;  // the frame the model was trained in
  const ObjReadResult mesh = readObj(obj, read);
  if (warnings) *warnings = mesh.warnings;
  ShapeSampleOptions s;
  s.surfacePoints = count;
  s.queryPoints = 1;  // only the surface points are used; the label is never read
  auto record = sampleShape(
      mesh.mesh,
      [](std::span<const float>, std::span<std::uint8_t> labels) {
        std::fill(labels.begin(), labels.end(), 0);
        return true;
      },
      s, seed);
  if (!record) throw std::runtime_error("sampling '" + obj.string() + "' was cancelled");
  return torch::from_blob(record->surface.data(), {int64_t(record->surfaceCount()), 3}, torch::kFloat32).clone();
}

}  // namespace fieldscope
