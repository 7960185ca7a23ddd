#include "model/shape/shape_mesh.h"

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "model/geometry/marching_cubes.h"

namespace fieldscope {

std::optional<Mesh> shapeMesh(ShapeModel& model, const TriplaneFields& fields, const ShapeMeshOptions& o) {
  const int n = o.resolution;
  if (n < 8 || n > 1024) throw std::invalid_argument("mesh resolution " + std::to_string(n) + " is outside 8..1024");
  if (!(o.isoProbability > 0 && o.isoProbability < 1))
    throw std::invalid_argument("iso-level " + std::to_string(o.isoProbability) + " is not a probability in (0, 1)");
  const double b = model.bound();
  GridShape shape{n, n, n, voxelCentreBox(n, b)};
  // The xy coordinates of one z-plane, x fastest (the plane layout marching cubes asks for).
  const auto axis = (torch::arange(n, torch::kFloat32) + 0.5) * float(2.0 * b / n) - float(b);
  const auto ys = axis.view({n, 1}).expand({n, n}), xs = axis.view({1, n}).expand({n, n});
  const auto xy = torch::stack({xs.reshape({-1}), ys.reshape({-1})}, 1);
  int planesDone = 0;
  PlaneSource source = [&](int z, std::span<float> plane) {
    auto points = torch::cat({xy, torch::full({int64_t(n) * n, 1}, axis[z].item<float>())}, 1);
    auto logits = model.occupancyAt(fields, points).to(torch::kCPU, torch::kFloat32).contiguous();
    std::memcpy(plane.data(), logits.data_ptr<float>(), plane.size_bytes());
    if (o.progress) o.progress(0.95 * (++planesDone) / n);  // marching cubes itself is the last 5%
  };
  MarchingCubesOptions mc;
  mc.cancel = o.cancel;
  auto mesh = marchingCubes(shape, source, float(probabilityToLogit(o.isoProbability)), mc);
  if (mesh && o.progress) o.progress(1.0);
  return mesh;
}

}  // namespace fieldscope
