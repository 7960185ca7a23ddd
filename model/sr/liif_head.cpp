#include "model/sr/liif_head.h"

#include <torch/torch.h>

#include <array>

namespace fieldscope {

LiifHeadImpl::LiifHeadImpl(int64_t featureChannels, int64_t width, int64_t hiddenLayers) : channels_(featureChannels) {
  first = register_module("first", torch::nn::Linear(featureChannels + 4, width));
  for (int64_t i = 0; i < hiddenLayers; ++i)
    hidden_.push_back(register_module("hidden" + std::to_string(i), torch::nn::Linear(width, width)));
  out = register_module("out", torch::nn::Linear(width, 3));
}

torch::Tensor LiifHeadImpl::hiddenToRgb(torch::Tensor h) {
  h = torch::relu(h);
  for (auto& l : hidden_) h = torch::relu(l(h));
  return out(h);
}

torch::Tensor LiifHeadImpl::mlp(const torch::Tensor& input) { return hiddenToRgb(first(input)); }

torch::Tensor LiifHeadImpl::forward(const torch::Tensor& feat, const torch::Tensor& coords, double cellW, double cellH) {
  const int64_t n = feat.size(0), c = feat.size(1), h = feat.size(2), w = feat.size(3);
  TORCH_CHECK(c == channels_, "LIIF head: the feature map has ", c, " channels, expected ", channels_);
  const auto& W = first->weight;  // width x (C + 4): [feature | rel x, rel y | cell x, cell y]
  // The feature part of the first layer, once per feature vector: N x (h*w) x width.
  const torch::Tensor projected = torch::matmul(feat.flatten(2).transpose(1, 2), W.narrow(1, 0, c).t());
  const torch::Tensor relCell =
      torch::tensor({cellW * double(w), cellH * double(h)}, coords.options());  // in cells
  const torch::Tensor cellTerm = torch::matmul(relCell, W.narrow(1, c + 2, 2).t()) + first->bias;  // width
  const torch::Tensor x = coords.select(-1, 0), y = coords.select(-1, 1);
  constexpr double kEps = 1e-6;
  std::array<torch::Tensor, 4> preds, areas;
  int k = 0;
  for (int vx : {-1, 1})
    for (int vy : {-1, 1}) {
      // The feature vector nearest to the point shifted by half a cell each way (LIIF's
      // rx = 2 / w / 2): the four cells around the point.
      const auto sx = (x + vx * (1.0 / double(w)) + kEps).clamp(-1 + kEps, 1 - kEps);
      const auto sy = (y + vy * (1.0 / double(h)) + kEps).clamp(-1 + kEps, 1 - kEps);
      const auto ix = ((sx + 1) * 0.5 * double(w)).floor().clamp(0, double(w - 1));
      const auto iy = ((sy + 1) * 0.5 * double(h)).floor().clamp(0, double(h - 1));
      const auto cx = -1 + (2 * ix + 1) / double(w), cy = -1 + (2 * iy + 1) / double(h);
      const auto rel = torch::stack({(x - cx) * double(w), (y - cy) * double(h)}, -1);  // N x P x 2
      const auto index = (iy * double(w) + ix).to(torch::kInt64);                        // N x P
      const auto gathered = projected.gather(1, index.unsqueeze(-1).expand({n, index.size(1), projected.size(2)}));
      const auto pre = gathered + torch::matmul(rel, W.narrow(1, c, 2).t()) + cellTerm;
      preds[k] = hiddenToRgb(pre);
      areas[k] = (rel.select(-1, 0) * rel.select(-1, 1)).abs() + 1e-9;
      ++k;
    }
  // Order (-1,-1), (-1,1), (1,-1), (1,1): each prediction is weighted by the area opposite it.
  std::swap(areas[0], areas[3]);
  std::swap(areas[1], areas[2]);
  const auto total = areas[0] + areas[1] + areas[2] + areas[3];
  torch::Tensor rgb = preds[0] * (areas[0] / total).unsqueeze(-1);
  for (int i = 1; i < 4; ++i) rgb = rgb + preds[i] * (areas[i] / total).unsqueeze(-1);
  return rgb;
}

}  // namespace fieldscope
