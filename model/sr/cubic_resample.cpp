#include "model/sr/cubic_resample.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace fieldscope {
namespace {
double catmullRom(double x) {
  x = std::abs(x);
  if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2) return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return 0;
}
}  // namespace

namespace {
// Row r of the matrix samples the input at pixel position first + r * step (pixel centres at
// i, 0-based); the kernel widens by `step` when it is over 1 (antialiased shrinking).
torch::Tensor sampleMatrix(int64_t inSize, double first, double step, int64_t count) {
  const double support = std::max(1.0, step);
  std::vector<float> m(size_t(count) * size_t(inSize), 0.f);
  for (int64_t r = 0; r < count; ++r) {
    const double centre = first + double(r) * step;
    const int64_t lo = int64_t(std::floor(centre - 2 * support)), hi = int64_t(std::ceil(centre + 2 * support));
    double sum = 0;
    std::vector<std::pair<int64_t, double>> taps;
    for (int64_t i = lo; i <= hi; ++i) {
      const double wgt = catmullRom((double(i) - centre) / support);
      if (wgt == 0) continue;
      taps.emplace_back(std::clamp<int64_t>(i, 0, inSize - 1), wgt);
      sum += wgt;
    }
    for (const auto& [i, wgt] : taps) m[size_t(r) * size_t(inSize) + size_t(i)] += float(wgt / sum);
  }
  return torch::from_blob(m.data(), {count, inSize}, torch::kFloat32).clone();
}
}  // namespace

torch::Tensor cubicResampleMatrix(int64_t inSize, int64_t outSize, int64_t outStart, int64_t outCount) {
  TORCH_CHECK(inSize > 0 && outSize > 0 && outStart >= 0 && outCount >= 0 && outStart + outCount <= outSize,
              "cubicResampleMatrix: bad sizes");
  const double scale = double(inSize) / double(outSize);
  return sampleMatrix(inSize, (double(outStart) + 0.5) * scale - 0.5, scale, outCount);
}

torch::Tensor cubicSampleMatrix(int64_t inSize, double begin, double step, int64_t count) {
  TORCH_CHECK(inSize > 0 && count >= 0 && step > 0 && std::isfinite(begin) && std::isfinite(step),
              "cubicSampleMatrix: bad sizes");
  return sampleMatrix(inSize, begin + 0.5 * step - 0.5, step, count);
}

namespace {
// my (h x H) * images (N x C x H x W) * mx^T (W x w), reading only the rows and columns of the
// input that some tap reaches: the matrices are banded, and a region of a large picture would
// otherwise multiply the whole picture (a 256-pixel tile of a 5120 x 2880 photo: 22 GFLOP).
torch::Tensor applySeparable(const torch::Tensor& images, const torch::Tensor& my, const torch::Tensor& mx) {
  auto used = [](const torch::Tensor& m) {
    const torch::Tensor cols = m.ne(0).any(0).nonzero();
    if (cols.numel() == 0) return std::make_pair(int64_t(0), m.size(1));
    return std::make_pair(cols.min().item<int64_t>(), cols.max().item<int64_t>() + 1);
  };
  const auto [y0, y1] = used(my);
  const auto [x0, x1] = used(mx);
  const auto opts = images.options();
  const torch::Tensor part = images.narrow(2, y0, y1 - y0).narrow(3, x0, x1 - x0);
  return torch::matmul(torch::matmul(my.narrow(1, y0, y1 - y0).to(opts), part), mx.narrow(1, x0, x1 - x0).to(opts).t());
}
}  // namespace

torch::Tensor cubicSampleRegion(const torch::Tensor& images, double x0, double y0, double x1, double y1, int64_t w,
                                int64_t h) {
  return applySeparable(images, cubicSampleMatrix(images.size(2), y0, (y1 - y0) / double(h), h),
                        cubicSampleMatrix(images.size(3), x0, (x1 - x0) / double(w), w));
}

torch::Tensor cubicResizeRegion(const torch::Tensor& images, int64_t outH, int64_t outW, int64_t y0, int64_t x0, int64_t h,
                                int64_t w) {
  return applySeparable(images, cubicResampleMatrix(images.size(2), outH, y0, h), cubicResampleMatrix(images.size(3), outW, x0, w));
}

torch::Tensor cubicResize(const torch::Tensor& images, int64_t outH, int64_t outW) {
  return cubicResizeRegion(images, outH, outW, 0, 0, outH, outW);
}

}  // namespace fieldscope
