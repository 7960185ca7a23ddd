#include "model/sr/image_quality.h"

#include <torch/torch.h>

namespace fieldscope {
namespace F = torch::nn::functional;

torch::Tensor psnrPerImage(const torch::Tensor& a, const torch::Tensor& b) {
  const auto mse = ((a.clamp(-1, 1) - b.clamp(-1, 1)) * 0.5).pow(2).flatten(1).mean(1);
  return -10 * torch::log10(mse.clamp_min(1e-12));
}

torch::Tensor ssimPerImage(const torch::Tensor& a, const torch::Tensor& b) {
  auto luma = [](const torch::Tensor& x) {
    const auto v = (x.clamp(-1, 1) + 1) * 0.5;
    return (0.299 * v.select(1, 0) + 0.587 * v.select(1, 1) + 0.114 * v.select(1, 2)).unsqueeze(1);
  };
  const auto x = luma(a), y = luma(b);
  const auto g = torch::exp(-(torch::arange(11, x.options()) - 5).pow(2) / (2 * 1.5 * 1.5));
  const auto g1 = g / g.sum();
  const auto window = (g1.unsqueeze(1) * g1.unsqueeze(0)).view({1, 1, 11, 11});
  auto blur = [&](const torch::Tensor& t) { return F::conv2d(t, window); };
  const auto mx = blur(x), my = blur(y);
  const auto sxx = blur(x * x) - mx * mx, syy = blur(y * y) - my * my, sxy = blur(x * y) - mx * my;
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  const auto map = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2));
  return map.flatten(1).mean(1);
}

}  // namespace fieldscope
