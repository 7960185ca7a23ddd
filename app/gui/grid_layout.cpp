#include "app/gui/grid_layout.h"

#include <torch/torch.h>

#include "app/gui/pixel_view.h"

namespace fieldscope {

std::optional<int> GridLayout::cellAt(double x, double y) const {
  if (x < 0 || y < 0 || x >= 1 || y >= 1) return std::nullopt;
  const double cx = x * cols, cy = y * rows;
  const int i = int(cx), j = int(cy);
  const double fx = cx - i, fy = cy - j;
  if (fx < gap || fx > 1 - gap || fy < gap || fy > 1 - gap) return std::nullopt;
  return j * cols + i;
}

void decodeMosaic(const GridLayout& layout, const Region& r, int W, int H, const PixelTarget& out,
                  const MosaicCellDecode& cell) {
  auto view = pixelView(out, W, H);
  for (int c = 0; c < 4; ++c) view.select(2, c).fill_(kOutsideRgba[c]);  // gaps, then each cell on top
  const double dx = (r.x1 - r.x0) / W, dy = (r.y1 - r.y0) / H;
  for (int j = 0; j < layout.rows; ++j) {
    const double cy0 = (j + layout.gap) / layout.rows, cy1 = (j + 1 - layout.gap) / layout.rows;
    const auto [i0, i1] = pixelRangeInside(cy0, cy1, r.y0, dy, H);
    if (i1 <= i0) continue;
    for (int i = 0; i < layout.cols; ++i) {
      const double cx0 = (i + layout.gap) / layout.cols, cx1 = (i + 1 - layout.gap) / layout.cols;
      const auto [k0, k1] = pixelRangeInside(cx0, cx1, r.x0, dx, W);
      if (k1 <= k0) continue;
      // The area those pixels cover, in the cell's own [0,1]^2.
      const double sx0 = (r.x0 + k0 * dx - cx0) / (cx1 - cx0), sx1 = (r.x0 + k1 * dx - cx0) / (cx1 - cx0);
      const double sy0 = (r.y0 + i0 * dy - cy0) / (cy1 - cy0), sy1 = (r.y0 + i1 * dy - cy0) / (cy1 - cy0);
      cell(j, i, sx0, sy0, sx1, sy1, k1 - k0, i1 - i0, view.slice(0, i0, i1).slice(1, k0, k1));
    }
  }
}

}  // namespace fieldscope
