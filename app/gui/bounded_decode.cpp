#include "app/gui/bounded_decode.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "app/gui/pixel_view.h"

namespace fieldscope {

std::pair<int, int> pixelRangeInside(double a, double b, double origin, double step, int n) {
  // Centre of pixel p: origin + (p + 0.5) step; first p with centre >= a, first with centre >= b.
  const int p0 = int(std::ceil((a - origin) / step - 0.5)), p1 = int(std::ceil((b - origin) / step - 0.5));
  return {std::clamp(p0, 0, n), std::clamp(p1, 0, n)};
}

void decodeBoundedRegion(const Region& r, int W, int H, const PixelTarget& out, const InsideDecode& decode) {
  decodeInsidePicture(Region{}, r, W, H, out, decode);
}

void decodeInsidePicture(const Region& picture, const Region& r, int W, int H, const PixelTarget& out,
                         const InsideDecode& decode) {
  const double dx = (r.x1 - r.x0) / W, dy = (r.y1 - r.y0) / H;
  const auto [k0, k1] = pixelRangeInside(picture.x0, picture.x1, r.x0, dx, W);
  const auto [i0, i1] = pixelRangeInside(picture.y0, picture.y1, r.y0, dy, H);
  if (k0 > 0 || i0 > 0 || k1 < W || i1 < H) fillOutside(out, W, H);
  decodeInsidePictureOnly(picture, r, W, H, out, decode);
}

void fillOutside(const PixelTarget& out, int W, int H) {
  auto view = pixelView(out, W, H);
  for (int c = 0; c < 4; ++c) view.select(2, c).fill_(kOutsideRgba[c]);
}

void decodeInsidePictureOnly(const Region& picture, const Region& r, int W, int H, const PixelTarget& out,
                             const InsideDecode& decode) {
  auto view = pixelView(out, W, H);
  const double dx = (r.x1 - r.x0) / W, dy = (r.y1 - r.y0) / H;
  const auto [k0, k1] = pixelRangeInside(picture.x0, picture.x1, r.x0, dx, W);
  const auto [i0, i1] = pixelRangeInside(picture.y0, picture.y1, r.y0, dy, H);
  if (k1 <= k0 || i1 <= i0) return;
  decode(r.x0 + k0 * dx, r.y0 + i0 * dy, r.x0 + k1 * dx, r.y0 + i1 * dy, k1 - k0, i1 - i0,
         view.slice(0, i0, i1).slice(1, k0, k1));
}

}  // namespace fieldscope
