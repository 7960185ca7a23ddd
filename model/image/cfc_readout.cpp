#include "model/image/cfc_readout.h"

#include <torch/torch.h>

#include <cmath>

namespace fieldscope {

namespace {
constexpr int kStyleFreqs = 4;
constexpr double kSlope = 0.2;

torch::Tensor embedScale(double sx, double sy) {
  // log2 of the scale, sinusoids of it: smooth in zoom, distinct across the trained range
  std::vector<float> e;
  for (double s : {sx, sy}) {
    const double l = std::log2(s);
    e.push_back(static_cast<float>(l));
    for (int k = 0; k < kStyleFreqs; ++k) {
      e.push_back(static_cast<float>(std::sin(M_PI * std::ldexp(1.0, k) * l)));
      e.push_back(static_cast<float>(std::cos(M_PI * std::ldexp(1.0, k) * l)));
    }
  }
  return torch::tensor(e);
}
}  // namespace

CfcReadoutImpl::CfcReadoutImpl(int64_t C, int64_t W, int64_t layersPerBlock, int64_t styleDim) : fieldChannels_(C) {
  // blocks 1-3 start by concatenating fields 0, 1, 2; block 4 is width -> width; then RGB
  for (int b = 0; b < 4; ++b)
    for (int64_t l = 0; l < layersPerBlock; ++l) {
      const bool first = l == 0 && b < 3;
      const int64_t hIn = (b == 0 && l == 0) ? 0 : W;
      specs_.push_back({hIn, first ? b : -1, W, true});
    }
  specs_.push_back({W, -1, 3, false});
  const int64_t embDim = 2 * (1 + 2 * kStyleFreqs);
  style_ = register_module("style", torch::nn::Sequential(torch::nn::Linear(embDim, styleDim),
                                                          torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(kSlope)),
                                                          torch::nn::Linear(styleDim, styleDim),
                                                          torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(kSlope))));
  for (size_t i = 0; i < specs_.size(); ++i) {
    const Spec& s = specs_[i];
    const int64_t in = s.hIn + (s.fieldIndex >= 0 ? C : 0) + 2;
    const double gain = s.demodulate ? 1.0 : 1.0 / std::sqrt(static_cast<double>(in));
    weights_.push_back(register_parameter("w" + std::to_string(i), torch::randn({s.out, in}) * gain));
    biases_.push_back(register_parameter("b" + std::to_string(i), torch::zeros({s.out})));
    auto aff = torch::nn::Linear(styleDim, in);
    {
      torch::NoGradGuard g;
      aff->weight.mul_(0.1);
      aff->bias.fill_(1.0);
    }
    affines_.push_back(register_module("affine" + std::to_string(i), aff));
  }
}

FoldedCfc CfcReadoutImpl::fold(double sx, double sy) {
  FoldedCfc out;
  // Folding (modulation, demodulation) runs in the module's own dtype (fp32) on its device; an fp16
  // readout converts the folded weights afterwards (FoldedCfc::to), so demodulation cannot overflow.
  const auto device = weights_[0].device();
  auto style = style_->forward(embedScale(sx, sy).to(device).unsqueeze(0)).squeeze(0);
  auto si = torch::tensor({static_cast<float>(sx), static_cast<float>(sy)}).to(device);
  for (size_t i = 0; i < specs_.size(); ++i) {
    const Spec& s = specs_[i];
    auto mod = affines_[i]->forward(style);  // in
    auto w = weights_[i] * mod.unsqueeze(0);  // out x in
    if (s.demodulate) w = w * torch::rsqrt(w.pow(2).sum(1, true) + 1e-8);
    const int64_t in = w.size(1);
    auto wx = w.narrow(1, 0, in - 2), wsi = w.narrow(1, in - 2, 2);
    out.layers.push_back({wx.t().contiguous(), biases_[i] + torch::mv(wsi, si), s.fieldIndex});
  }
  return out;
}

}  // namespace fieldscope
