#pragma once
// The shape VAE's point-cloud encoder (docs/architecture.md "Models"): a PointNet with local pooling
// (Convolutional Occupancy Networks' LocalPoolPointnet, as DDMI uses it). Every point's feature is
// refined by residual FC blocks; between blocks, each point also sees the maximum over the points
// that fall in the same cell of each of the three planes. The final features are averaged into the
// cells of the xy, xz and yz planes: N x 3 x C x R x R.
#include <torch/nn.h>

#include <vector>

#include "model/shape/occupancy_decoder.h"
#include "model/shape/shape_vae_config.h"

namespace fieldscope {

class PointEncoderImpl : public torch::nn::Module {
 public:
  explicit PointEncoderImpl(const ShapeVaeConfig& c);
  // points: N x T x 3 in the shape box [-bound, bound]^3 -> N x 3 x C x R x R feature planes.
  torch::Tensor forward(const torch::Tensor& points);

 private:
  int64_t resolution_;
  double bound_;
  torch::nn::Linear posIn{nullptr}, featureOut{nullptr};
  std::vector<ResFc> blocks_;
};
TORCH_MODULE(PointEncoder);

// The flat cell index (row * R + column) of each point in each plane: N x 3 x T int64.
// Plane axes as in sampleTriplane: xy -> (x, y), xz -> (x, z), yz -> (y, z); column = first axis.
torch::Tensor planeCellIndex(const torch::Tensor& points, double bound, int64_t resolution);

}  // namespace fieldscope
