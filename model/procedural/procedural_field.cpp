#include "model/procedural/procedural_field.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace fieldscope {

torch::Tensor proceduralFieldRgb(double x0, double y0, double x1, double y1, int W, int H) {
  torch::NoGradGuard noGrad;
  // Phases are split into an exact float64 part at the region's corner (reduced mod 2*pi)
  // and a float32 part relative to it: exact at any zoom, and float32-fast.
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
  const double dx = (x1 - x0) / W, dy = (y1 - y0) / H;
  const auto lx = ((torch::arange(W, torch::kFloat64) + 0.5) * dx).to(torch::kFloat32).view({1, W});
  const auto ly = ((torch::arange(H, torch::kFloat64) + 0.5) * dy).to(torch::kFloat32).view({H, 1});
  const double pixel = std::max(std::abs(dx), std::abs(dy));
  constexpr double kTwoPi = 6.283185307179586;
  auto v = torch::zeros({H, W}, f32);
  auto arg = torch::empty({H, W}, f32);
  auto warp = torch::empty({H, W}, f32);
  for (int k = 0; k < 48; ++k) {
    const double f = 2.0 * std::ldexp(1.0, k);  // cycles per image unit
    const double w = std::clamp(2.0 - 4.0 * f * pixel, 0.0, 1.0);
    if (w <= 0.0) break;
    const double theta = 2.399963 * k, c = std::cos(theta), s = std::sin(theta);
    // warp = sin(pi f (-s x + c y) + k)
    const double w0 = std::fmod(0.5 * kTwoPi * f * (-s * x0 + c * y0) + k, kTwoPi);
    torch::add_out(warp, lx * float(-0.5 * kTwoPi * f * s), ly * float(0.5 * kTwoPi * f * c));
    warp.add_(float(w0)).sin_();
    // v += w sin(2 pi f (c x + s y) + 1.7 k + 1.2 warp)
    const double p0 = std::fmod(kTwoPi * f * (c * x0 + s * y0) + 1.7 * k, kTwoPi);
    torch::add_out(arg, lx * float(kTwoPi * f * c), ly * float(kTwoPi * f * s));
    arg.add_(float(p0)).add_(warp, 1.2f).sin_();
    v.add_(arg, float(w));
  }
  const auto phase = torch::tensor({0.0f, 0.33f, 0.67f}, f32).view({1, 1, 3});
  return ((v.unsqueeze(-1) * 0.07f + phase + 0.1f) * float(kTwoPi)).cos_().mul_(0.5f).add_(0.5f);
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
