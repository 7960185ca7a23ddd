#include "model/shape/occupancy_grid.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

#include "model/shape/refined_field.h"

namespace fieldscope {

bool bakeOccupancy(OccupancyDecoder& decoder, const TriplaneFields& fields, int64_t n, torch::Tensor out,
                   const BakeOptions& options) {
  if (n <= 0 || out.dim() != 3 || out.size(0) != n || out.size(1) != n || out.size(2) != n)
    throw std::runtime_error("bakeOccupancy: out must be n x n x n");
  torch::NoGradGuard noGrad;
  const auto device = fields.levels.at(0).device();
  const int64_t chunk = options.chunkPoints > 0 ? options.chunkPoints : (device.is_cuda() ? (1 << 20) : (1 << 15));
  const double b = decoder->config().bound;
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  const auto axis = (torch::arange(n, f32) + 0.5) * (2.0 * b / n) - b;  // voxel centres
  auto flat = out.view({-1});  // throws for strides that cannot be flattened
  const int64_t stride = options.stride > 0 ? options.stride : RefinedFieldPlanes::autoStride(n);
  if (stride > 1 && !device.is_cuda() && !out.is_cuda()) {
    RefinedFieldPlanes planes([&](const torch::Tensor& p) { return decoder->forward(fields, p.to(device)); }, n, b,
                              stride, options.bandLo, options.bandHi, chunk);
    for (int64_t z = 0; z < n; ++z) {
      if (options.cancel && options.cancel->load()) return false;
      out[z].copy_(planes.plane(z));
      if (options.progress) options.progress(double(z + 1) / n);
    }
    return true;
  }
  const int64_t total = n * n * n;
  for (int64_t start = 0; start < total; start += chunk) {
    if (options.cancel && options.cancel->load()) return false;
    const int64_t end = std::min(total, start + chunk);
    auto idx = torch::arange(start, end, torch::TensorOptions().dtype(torch::kInt64).device(device));
    auto k = idx.remainder(n), j = idx.div(n, "floor").remainder(n), i = idx.div(n * n, "floor");
    auto points = torch::stack({axis.index({k}), axis.index({j}), axis.index({i})}, 1);
    flat.slice(0, start, end).copy_(decoder->forward(fields, points).to(torch::kFloat32));
    if (options.progress) options.progress(double(end) / total);
  }
  return true;
}

}  // namespace fieldscope
