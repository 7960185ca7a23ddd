#pragma once
// The LIIF head of the implicit neural decoder (docs/architecture.md "The super-resolution
// domain"; DESIGN §5.2): an MLP on [feature vector, relative coordinate, relative cell size]
// -> RGB, with the *local ensemble*: every query point is predicted from each of the four
// nearest feature vectors (shifts of one cell), and the four predictions are averaged with
// weights equal to the area of the diagonally opposite sub-rectangle.
//
// Coordinates are (x, y) in [-1, 1] over the feature map's extent (pixel centres of an output
// grid: -1 + (2j + 1) / W); the cell is one output pixel's size in the same units (2 / W, 2 / H).
// The first layer's feature part is applied once per feature vector (a 1x1 convolution) and
// gathered per query -- the same numbers as applying it per query, at a fraction of the cost.
#include <torch/nn.h>

#include <vector>

namespace fieldscope {

class LiifHeadImpl : public torch::nn::Module {
 public:
  LiifHeadImpl(int64_t featureChannels, int64_t width, int64_t hiddenLayers);
  // feat N x C x h x w; coords N x P x 2 (x, y); cell (width, height) of one output pixel -> N x P x 3.
  torch::Tensor forward(const torch::Tensor& feat, const torch::Tensor& coords, double cellW, double cellH);
  // The MLP on explicit inputs N x P x (C + 4) -> N x P x 3 (for tests of the ensemble).
  torch::Tensor mlp(const torch::Tensor& input);

 private:
  torch::Tensor hiddenToRgb(torch::Tensor h);
  int64_t channels_;
  torch::nn::Linear first{nullptr}, out{nullptr};
  std::vector<torch::nn::Linear> hidden_;
};
TORCH_MODULE(LiifHead);

}  // namespace fieldscope
