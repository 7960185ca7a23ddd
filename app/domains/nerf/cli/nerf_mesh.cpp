#include "app/domains/nerf/cli/nerf_mesh.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "model/geometry/marching_cubes.h"
#include "model/geometry/scalar_grid.h"

namespace fieldscope {

uint64_t nerfMeshBytes(int n) { return uint64_t(n) * n * n * 5 * sizeof(float); }

std::optional<Mesh> nerfDensityMesh(const NerfField& field, int n, double density, const std::atomic<bool>* cancel,
                                    const WorkProgress& bakeProgress, const std::function<void(double)>& meshProgress) {
  torch::NoGradGuard noGrad;
  const double b = field.config.bound;
  torch::Tensor grid = torch::empty({n, n, n, 4});
  // Colour as seen from the front (looking along -Z in the view's axes).
  if (!bakeVolume(field.asQuery(), n, b, nerfWorldFromView({0, 0, -1}), grid, true,
                  [cancel] { return cancel && cancel->load(); }, bakeProgress))
    return std::nullopt;
  const torch::Tensor sigma = grid.select(3, 0).contiguous();
  MarchingCubesOptions mc;
  mc.cancel = cancel;
  mc.progress = meshProgress;
  const GridShape shape{n, n, n, voxelCentreBox(n, b)};
  std::optional<Mesh> mesh = marchingCubes(ScalarGridView{shape, sigma.data_ptr<float>()}, float(density), mc);
  if (!mesh) return std::nullopt;
  // Vertex colours: trilinear in the baked colours at the vertex (voxel centres at integers).
  const float* g = grid.data_ptr<float>();
  auto at = [&](int x, int y, int z, int c) { return g[((size_t(z) * n + y) * n + x) * 4 + c]; };
  mesh->colours.reserve(mesh->positions.size());
  for (const Vec3f& p : mesh->positions) {
    float v[3] = {p.x, p.y, p.z};
    int i0[3];
    float f[3];
    for (int a = 0; a < 3; ++a) {
      const float c = std::clamp(float((v[a] + b) * n / (2 * b) - 0.5), 0.0f, float(n - 1));
      i0[a] = std::min(int(c), n - 2);
      f[a] = c - float(i0[a]);
    }
    Vec3f col{0, 0, 0};
    for (int corner = 0; corner < 8; ++corner) {
      const int dx = corner & 1, dy = (corner >> 1) & 1, dz = (corner >> 2) & 1;
      const float w = (dx ? f[0] : 1 - f[0]) * (dy ? f[1] : 1 - f[1]) * (dz ? f[2] : 1 - f[2]);
      col.x += w * at(i0[0] + dx, i0[1] + dy, i0[2] + dz, 1);
      col.y += w * at(i0[0] + dx, i0[1] + dy, i0[2] + dz, 2);
      col.z += w * at(i0[0] + dx, i0[1] + dy, i0[2] + dz, 3);
    }
    mesh->colours.push_back({std::clamp(col.x, 0.0f, 1.0f), std::clamp(col.y, 0.0f, 1.0f), std::clamp(col.z, 0.0f, 1.0f)});
  }
  return mesh;
}

}  // namespace fieldscope
