#pragma once
// The authors' convolutional blocks of DDMI's image VAE (DESIGN.md §5.1, docs/architecture.md "The
// faithful DDMI architecture"), with their parameter names so that their checkpoints map one to one
// (model/image/ddmi_import.h): GroupNorm of 32 groups (eps 1e-6), residual blocks with a 1x1
// `nin_shortcut` where the width changes, single-head attention scaled by C^-1/2, downsampling that
// pads right and bottom only, nearest upsampling followed by a 3x3 conv of the same width.
#include <torch/nn.h>

namespace fieldscope {

torch::nn::GroupNorm ddmiNorm(int64_t channels);  // throws unless channels is a multiple of 32
// A conv with the authors' padding (kernel / 2 unless given) and bias.
torch::nn::Conv2d ddmiConv(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t pad = -1);
torch::Tensor ddmiSwish(const torch::Tensor& x);  // x * sigmoid(x)

class DdmiResnetBlockImpl : public torch::nn::Module {
 public:
  DdmiResnetBlockImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::GroupNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, ninShortcut{nullptr};
};
TORCH_MODULE(DdmiResnetBlock);

class DdmiAttnBlockImpl : public torch::nn::Module {
 public:
  explicit DdmiAttnBlockImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::GroupNorm norm{nullptr};
  torch::nn::Conv2d q{nullptr}, k{nullptr}, v{nullptr}, projOut{nullptr};
};
TORCH_MODULE(DdmiAttnBlock);

class DdmiDownsampleImpl : public torch::nn::Module {
 public:
  explicit DdmiDownsampleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);  // zero-pad right and bottom by one, 3x3 stride 2

 private:
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(DdmiDownsample);

class DdmiUpsampleImpl : public torch::nn::Module {
 public:
  explicit DdmiUpsampleImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);  // nearest x2, then a 3x3 conv keeping the width

 private:
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(DdmiUpsample);

// A named container child (the authors' `mid`, `up.i`, `down.i`): a module with no forward.
std::shared_ptr<torch::nn::Module> ddmiGroup(torch::nn::Module& parent, const std::string& name);

}  // namespace fieldscope
