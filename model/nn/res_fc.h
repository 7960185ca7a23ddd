#pragma once
// A residual fully connected block (Occupancy Networks' ResnetBlockFC): the MLP block of every
// field readout (shape occupancy, video colour) and of the shape PointNet
// (docs/architecture.md "Models").
#include <torch/nn.h>

namespace fieldscope {

class ResFcImpl : public torch::nn::Module {
 public:
  ResFcImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Linear fc0{nullptr}, fc1{nullptr}, shortcut{nullptr};
};
TORCH_MODULE(ResFc);

}  // namespace fieldscope
