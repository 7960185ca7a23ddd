#include "model/shape/mesh_occupancy_grid.h"

#include <torch/torch.h>

#include <vector>

#include "model/geometry/obj_reader.h"
#include "model/shape_data/shape_samples.h"
#include "model/shape_data/winding_number.h"

namespace fieldscope {
namespace F = torch::nn::functional;

torch::Tensor meshOccupancyGrid(const std::filesystem::path& obj, int64_t n, double bound, int threads,
                                const std::atomic<bool>* cancel, const std::function<void(float)>& progress) {
  ObjReadOptions read;
  read.normaliseToUnitCube = true;  // the frame of mesh_surface_points.h: what the encoder saw
  Mesh mesh = readObj(obj, read).mesh;
  turnOutward(mesh);
  const WindingNumber winding(mesh);
  std::vector<uint8_t> inside(size_t(n) * n * n);
  std::vector<float> plane(size_t(n) * n * 3);
  const auto centre = [&](int64_t i) { return float(-bound + (i + 0.5) * 2.0 * bound / n); };
  for (int64_t z = 0; z < n; ++z) {  // plane by plane: cancel and progress between planes
    if (cancel && cancel->load()) return {};
    for (int64_t y = 0; y < n; ++y)
      for (int64_t x = 0; x < n; ++x) {
        float* p = &plane[size_t(y * n + x) * 3];
        p[0] = centre(x), p[1] = centre(y), p[2] = centre(z);
      }
    if (!winding.classify(plane, std::span<uint8_t>(inside.data() + size_t(z) * n * n, size_t(n) * n), threads, cancel))
      return {};
    if (progress) progress(float(z + 1) / n);
  }
  const auto labels = torch::from_blob(inside.data(), {1, 1, n, n, n}, torch::kUInt8).to(torch::kFloat32);
  auto grid = labels;
  // A separable Gaussian (sigma one voxel): the 0.5 level of the blurred labels lies on the surface.
  auto g = torch::exp(-torch::arange(-2, 3, torch::kFloat32).pow(2) / 2);
  g = g / g.sum();
  for (int axis = 0; axis < 3; ++axis) {
    std::vector<int64_t> shape{1, 1, 1, 1, 1};
    shape[2 + axis] = 5;
    std::vector<int64_t> pad{0, 0, 0, 0, 0, 0};  // x, y, z pairs, innermost first
    pad[2 * (2 - axis)] = pad[2 * (2 - axis) + 1] = 2;
    grid = F::conv3d(F::pad(grid, F::PadFuncOptions(pad).mode(torch::kReplicate)), g.view(shape));
  }
  // Each voxel keeps its label's side (a wall thinner than the blur would vanish otherwise).
  grid = torch::where(labels > 0.5f, grid.clamp_min(0.6f), grid.clamp_max(0.4f));
  return ((grid - 0.5f) * 12.0f).view({n, n, n}).contiguous();
}

}  // namespace fieldscope
