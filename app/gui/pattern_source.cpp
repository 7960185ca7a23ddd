#include "app/gui/pattern_source.h"

#include <torch/torch.h>

#include "app/gui/pixel_view.h"

#include <cmath>

namespace fieldscope {

std::array<uint8_t, 4> patternTexel(int64_t tx, int64_t ty) {
  return {uint8_t(tx & 255), uint8_t(ty & 255), uint8_t((tx * 3 + ty * 5) & 255), 255};
}

namespace {
class PatternSource final : public FieldSource {
 public:
  std::string name() const override { return "Self-test pattern"; }
  bool bounded() const override { return false; }
  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    const double dx = (r.x1 - r.x0) / W, dy = (r.y1 - r.y0) / H;
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    auto tx = ((torch::arange(W, f64) + 0.5) * dx + r.x0).div(dx).floor().to(torch::kInt64).view({1, W}).expand({H, W});
    auto ty = ((torch::arange(H, f64) + 0.5) * dy + r.y0).div(dy).floor().to(torch::kInt64).view({H, 1}).expand({H, W});
    auto view = pixelView(out, W, H);
    view.select(2, 0).copy_(tx.bitwise_and(255));
    view.select(2, 1).copy_(ty.bitwise_and(255));
    view.select(2, 2).copy_((tx * 3 + ty * 5).bitwise_and(255));
    view.select(2, 3).fill_(255);
  }
};
}  // namespace

std::shared_ptr<FieldSource> makePatternSource() { return std::make_shared<PatternSource>(); }
}  // namespace fieldscope

#include "render/tile_pyramid.h"

namespace fieldscope {

View2D alignedPatternView(int width, int height, int64_t tx0, int64_t ty0) {
  constexpr double kTexel = 1.0 / 256.0;  // level-0 texel of 256-texel tiles
  View2D v;
  v.setViewport(width, height);
  v.set((double(tx0) + 0.5 * width) * kTexel, (double(ty0) + 0.5 * height) * kTexel, kTexel);
  return v;
}

int64_t countPatternMismatches(const uint8_t* rgba, int width, int height, int64_t strideBytes, int64_t tx0,
                               int64_t ty0) {
  int64_t bad = 0;
  for (int i = 0; i < height; ++i)
    for (int j = 0; j < width; ++j) {
      const auto want = patternTexel(tx0 + j, ty0 + i);
      const uint8_t* got = rgba + i * strideBytes + int64_t(j) * 4;
      bad += got[0] != want[0] || got[1] != want[1] || got[2] != want[2];
    }
  return bad;
}

}  // namespace fieldscope
