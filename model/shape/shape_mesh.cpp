#include "model/shape/shape_mesh.h"

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "model/geometry/marching_cubes.h"
#include "model/shape/refined_field.h"

namespace fieldscope {

std::optional<Mesh> shapeMesh(ShapeModel& model, const TriplaneFields& fields, const ShapeMeshOptions& o) {
  const int n = o.resolution;
  if (n < 8 || n > 1024) throw std::invalid_argument("mesh resolution " + std::to_string(n) + " is outside 8..1024");
  if (!(o.isoProbability > 0 && o.isoProbability < 1))
    throw std::invalid_argument("iso-level " + std::to_string(o.isoProbability) + " is not a probability in (0, 1)");
  const double b = model.bound();
  GridShape shape{n, n, n, voxelCentreBox(n, b)};
  const float iso = float(probabilityToLogit(o.isoProbability));
  RefinedFieldPlanes planes([&](const torch::Tensor& points) { return model.occupancyAt(fields, points); }, n, b,
                            o.stride > 0 ? o.stride : RefinedFieldPlanes::autoStride(n), iso - 5.0f, iso + 5.0f);
  int planesDone = 0;
  PlaneSource source = [&](int z, std::span<float> plane) {
    auto logits = planes.plane(z).contiguous();
    std::memcpy(plane.data(), logits.data_ptr<float>(), plane.size_bytes());
    if (o.progress) o.progress(0.95 * (++planesDone) / n);  // marching cubes itself is the last 5%
  };
  MarchingCubesOptions mc;
  mc.cancel = o.cancel;
  auto mesh = marchingCubes(shape, source, iso, mc);
  if (mesh && o.progress) o.progress(1.0);
  return mesh;
}

}  // namespace fieldscope
