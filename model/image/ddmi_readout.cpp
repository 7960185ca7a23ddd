#include "model/image/ddmi_readout.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "model/image/ddmi_blocks.h"

namespace fieldscope {

namespace {
const double kSqrt2 = std::sqrt(2.0);

// One modulated 1x1 conv for the style: (1/sqrt(in)) * weight * modulation(style), demodulated per
// output row when asked -> out x in.
torch::Tensor modulatedWeight(const torch::Tensor& weight, const torch::Tensor& modWeight, const torch::Tensor& modBias,
                              const torch::Tensor& style, bool demodulate) {
  const int64_t in = modWeight.size(0), styleDim = modWeight.size(1);
  auto mod = torch::addmv(modBias, modWeight, style, 1.0, 1.0 / std::sqrt(static_cast<double>(styleDim)));
  auto w = weight.reshape({-1, in}) * (1.0 / std::sqrt(static_cast<double>(in))) * mod.unsqueeze(0);
  if (demodulate) w = w * torch::rsqrt(w.pow(2).sum(1, true) + 1e-8);
  return w;
}
}  // namespace

DdmiReadoutImpl::StyledConv DdmiReadoutImpl::makeConv(torch::nn::Module& parent, const std::string& name, int64_t in,
                                                      int64_t out, bool activation) {
  auto m = ddmiGroup(parent, name);
  auto conv = ddmiGroup(*m, "conv");
  StyledConv s;
  s.weight = conv->register_parameter("weight", torch::randn({1, out, in, 1, 1}));
  auto modulation = ddmiGroup(*conv, "modulation");
  s.modWeight = modulation->register_parameter("weight", torch::randn({in, width_}));
  s.modBias = modulation->register_parameter("bias", torch::ones({in}));
  if (activation) {
    s.noise = ddmiGroup(*m, "noise")->register_parameter("weight", torch::zeros({1}));
    s.bias = ddmiGroup(*m, "activate")->register_parameter("bias", torch::zeros({out}));
  } else {
    s.bias = m->register_parameter("bias", torch::zeros({1, out, 1, 1}));  // ToRGB's
  }
  return s;
}

DdmiReadoutImpl::DdmiReadoutImpl(int64_t C, int64_t W, int64_t L) : fieldChannels_(C), width_(W) {
  if (W % 8 != 0 || W < 16) throw std::runtime_error("ddmi readout: the width must be a multiple of 8, at least 16");
  if (L < 1 || L > 3) throw std::runtime_error("ddmi readout: layers_per_block must be 1, 2 or 3");
  auto timeMlp = ddmiGroup(*this, "time_mlp");
  styleIn = timeMlp->register_module("1", torch::nn::Linear(W / 4, W));
  styleOut = timeMlp->register_module("3", torch::nn::Linear(W, W));
  const int64_t ins[4] = {C + 2, W + C + 2, W + C + 2, W};
  for (int b = 0; b < 4; ++b) {
    auto m = ddmiGroup(*this, "net_res" + std::to_string(b + 1));
    Block block;
    block.fieldIndex = b < 3 ? b : -1;
    for (int64_t k = 0; k < L; ++k) block.convs.push_back(makeConv(*m, "conv" + std::to_string(k + 1), k == 0 ? ins[b] : W, W, true));
    if (ins[b] != W) block.skip = ddmiGroup(*ddmiGroup(*m, "skip"), "0")->register_parameter("weight", torch::randn({W, ins[b], 1, 1}));
    blocks_.push_back(block);
  }
  toRgb_ = makeConv(*this, "torgb", W, 3, false);
}

torch::Tensor DdmiReadoutImpl::style(double si) {
  const int64_t half = width_ / 8;
  const auto opts = torch::dtype(styleIn->weight.scalar_type()).device(styleIn->weight.device());
  auto freqs = torch::exp(torch::arange(half, opts) * (-std::log(10000.0) / static_cast<double>(half - 1)));
  auto e = freqs * si;
  auto emb = torch::cat({e.sin(), e.cos()}).unsqueeze(0);
  return styleOut(torch::gelu(styleIn(emb))).squeeze(0);
}

FoldedCfc DdmiReadoutImpl::fold(double sx, double sy) {
  // The authors feed one si to the style and to both scale channels; a non-square pixel gets its
  // own scale per channel and the mean in the style (the same thing for square pixels).
  const auto st = style(0.5 * (sx + sy));
  const auto si = torch::tensor({sx, sy}, torch::dtype(st.scalar_type()).device(st.device()));
  FoldedCfc out;
  for (const Block& b : blocks_) {
    const int64_t last = static_cast<int64_t>(b.convs.size()) - 1;
    for (int64_t k = 0; k <= last; ++k) {
      const StyledConv& c = b.convs[k];
      auto w = modulatedWeight(c.weight, c.modWeight, c.modBias, st, true);
      auto bias = c.bias;
      FoldedCfc::Layer L{};
      L.fieldIndex = k == 0 ? b.fieldIndex : -1;
      if (L.fieldIndex >= 0) {  // the two si channels come last: constant, so a bias
        const int64_t in = w.size(1);
        bias = bias + torch::mv(w.narrow(1, in - 2, 2), si);
        w = w.narrow(1, 0, in - 2);
      }
      // gain sqrt(2) after the activation; the closing conv's cancels the block's 1/sqrt(2)
      const double gain = k == last ? 1.0 : kSqrt2;
      L.weightT = (w * gain).t().contiguous();
      L.bias = bias * gain;
      L.opensBlock = k == 0;
      L.closesBlock = k == last;
      if (k == 0) {
        if (b.skip.defined()) {
          auto s = b.skip.reshape({b.skip.size(0), -1}) * (1.0 / std::sqrt(static_cast<double>(b.skip.size(1)))) / kSqrt2;
          const int64_t in = s.size(1);
          if (L.fieldIndex >= 0) {
            L.skipBias = torch::mv(s.narrow(1, in - 2, 2), si);
            s = s.narrow(1, 0, in - 2);
          } else {
            L.skipBias = torch::zeros({s.size(0)}, s.options());
          }
          L.skipWeightT = s.t().contiguous();
        } else {
          L.skipScale = 1.0 / kSqrt2;
        }
      }
      out.layers.push_back(std::move(L));
    }
  }
  FoldedCfc::Layer rgb{};
  rgb.weightT = modulatedWeight(toRgb_.weight, toRgb_.modWeight, toRgb_.modBias, st, false).t().contiguous();
  rgb.bias = toRgb_.bias.reshape({-1});
  rgb.fieldIndex = -1;
  out.layers.push_back(std::move(rgb));
  return out;
}

}  // namespace fieldscope
