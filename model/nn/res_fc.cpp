#include "model/nn/res_fc.h"

#include <torch/torch.h>

namespace fieldscope {

ResFcImpl::ResFcImpl(int64_t in, int64_t out) {
  fc0 = register_module("fc0", torch::nn::Linear(in, out));
  fc1 = register_module("fc1", torch::nn::Linear(out, out));
  if (in != out) shortcut = register_module("shortcut", torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)));
}

torch::Tensor ResFcImpl::forward(const torch::Tensor& x) {
  auto dx = fc1(torch::relu(fc0(torch::relu(x))));
  return (shortcut ? shortcut(x) : x) + dx;
}

}  // namespace fieldscope
