#include "model/procedural/procedural_field.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace fieldscope {

torch::Tensor proceduralFieldRgb(double x0, double y0, double x1, double y1, int W, int H) {
  torch::NoGradGuard noGrad;
  const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  const double dx = (x1 - x0) / W, dy = (y1 - y0) / H;
  const auto xs = (torch::arange(W, f64) + 0.5) * dx + x0;
  const auto ys = (torch::arange(H, f64) + 0.5) * dy + y0;
  const auto X = xs.view({1, W});
  const auto Y = ys.view({H, 1});
  const double pixel = std::max(std::abs(dx), std::abs(dy));
  constexpr double kTwoPi = 6.283185307179586;
  auto v = torch::zeros({H, W}, f64);
  for (int k = 0; k < 48; ++k) {
    const double f = 3.0 * std::ldexp(1.0, k);  // cycles per image unit
    const double w = std::clamp(2.0 - 4.0 * f * pixel, 0.0, 1.0);
    if (w <= 0.0) break;
    const double theta = 2.399963 * k, c = std::cos(theta), s = std::sin(theta);
    const auto warp = torch::sin((X * (-s) + Y * c) * (0.5 * kTwoPi * f) + double(k));
    v += torch::sin((X * c + Y * s) * (kTwoPi * f) + 1.7 * k + 1.2 * warp) * w;
  }
  const auto phase = torch::tensor({0.0, 0.33, 0.67}, f64).view({1, 1, 3});
  const auto rgb = 0.5 + 0.5 * torch::cos((v.unsqueeze(-1) * 0.12 + phase + 0.1) * kTwoPi);
  return rgb.to(torch::kFloat32);
}

void writeRgba8(const torch::Tensor& rgb01, torch::Tensor out) {
  torch::NoGradGuard noGrad;
  out.narrow(2, 0, 3).copy_(rgb01.mul(255.0f).round_().clamp_(0, 255).to(torch::kUInt8));
  out.narrow(2, 3, 1).fill_(255);
}

void proceduralFieldRegion(double x0, double y0, double x1, double y1, int W, int H, torch::Tensor out) {
  writeRgba8(proceduralFieldRgb(x0, y0, x1, y1, W, H), std::move(out));
}

}  // namespace fieldscope
