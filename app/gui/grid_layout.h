#pragma once
// A seed grid's mosaic (docs/architecture.md "Seed grids"): cols x rows samples shown as one
// zoomable bounded field, a gap around each cell. Shared by the image and video seed grids.
#include <torch/types.h>

#include <functional>
#include <optional>

#include "app/gui/field_source.h"

namespace fieldscope {

struct GridLayout {
  int cols = 4, rows = 4;
  double gap = 0.03;  // fraction of a cell left empty on each side
  // The seed offset (0 .. cols*rows-1) under field point (x, y), if on a sample.
  std::optional<int> cellAt(double x, double y) const;
};

// One cell's part of a region: the area [x0, x1] x [y0, y1] of the cell's own picture [0, 1]^2
// that w x h of the region's pixels cover (those whose centres lie on the cell), written into
// `pixels` (h x w x 4 uint8, a view into the target).
using MosaicCellDecode =
    std::function<void(int row, int col, double x0, double y0, double x1, double y1, int w, int h, torch::Tensor pixels)>;

// Decodes `region` of the mosaic: the gaps get the "outside" colour, every cell that meets the
// region is handed to `cell` with its exact sub-rectangle and pixel count.
void decodeMosaic(const GridLayout& layout, const Region& region, int W, int H, const PixelTarget& out,
                  const MosaicCellDecode& cell);

}  // namespace fieldscope
