#include "model/nerf/triplane_sampler.h"

#include <torch/torch.h>

namespace fieldscope {

torch::Tensor sampleTriplane(const torch::Tensor& planes, const torch::Tensor& points, double bound) {
  namespace F = torch::nn::functional;
  const torch::Tensor p = (points / bound).to(planes.dtype());
  const torch::Tensor x = p.select(1, 0), y = p.select(1, 1), z = p.select(1, 2);
  // grid_sample's grid is (N, Hout, Wout, 2) with (column, row) = (first axis, second axis).
  const torch::Tensor grid = torch::stack({torch::stack({x, y}, -1), torch::stack({x, z}, -1), torch::stack({y, z}, -1)})
                                 .unsqueeze(1);  // (3, 1, P, 2)
  const torch::Tensor f = F::grid_sample(planes, grid,
                                         F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false));
  // (3, C, 1, P) -> (P, 3C)
  return f.squeeze(2).permute({2, 0, 1}).reshape({p.size(0), -1});
}

}  // namespace fieldscope
