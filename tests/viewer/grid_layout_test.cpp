// The seed grids' mosaic (app/gui/grid_layout.*), shared by the image and video clip grids: a
// click lands on the cell under it (never on a gap), and a decode hands each cell exactly the
// part of its own picture that the region's pixel centres cover, the gaps in the outside colour.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <map>
#include <utility>
#include <vector>

#include "app/gui/grid_layout.h"

namespace fieldscope {
namespace {

TEST(GridLayout, AClickFindsTheCellUnderItAndNeverAGap) {
  const GridLayout g{3, 2, 0.1};
  EXPECT_EQ(g.cellAt(0.5 / 3, 0.25), 0);
  EXPECT_EQ(g.cellAt(2.5 / 3, 0.25), 2);
  EXPECT_EQ(g.cellAt(1.5 / 3, 0.75), 4);
  EXPECT_FALSE(g.cellAt(1.0 / 3, 0.25)) << "the gap between two cells";
  EXPECT_FALSE(g.cellAt(0.5 / 3, 0.5)) << "the gap between two rows";
  EXPECT_FALSE(g.cellAt(-0.01, 0.25));
  EXPECT_FALSE(g.cellAt(0.5, 1.0));
}

struct Call {
  double x0, y0, x1, y1;
  int w, h;
};

TEST(GridLayout, EachCellGetsTheExactPartOfItsPictureAndGapsAreOutside) {
  const GridLayout g{3, 3, 0.1};
  const int W = 90, H = 90;
  std::vector<uint8_t> px(size_t(W) * H * 4, 0);
  PixelTarget out{px.data(), W * 4, -1};
  std::map<std::pair<int, int>, Call> calls;
  decodeMosaic(g, Region{0, 0, 1, 1}, W, H, out,
               [&](int row, int col, double x0, double y0, double x1, double y1, int w, int h, torch::Tensor p) {
                 calls[{row, col}] = {x0, y0, x1, y1, w, h};
                 ASSERT_EQ(p.size(0), h);
                 ASSERT_EQ(p.size(1), w);
                 p.fill_(200);
               });
  ASSERT_EQ(calls.size(), 9u);
  // Cell (1, 1) spans [1.1, 1.9] / 3 of the picture: the pixels whose centres (k + 0.5) / 90 lie
  // in it are k = 33 .. 56 (24 pixels), i.e. the area from 33 / 90 to 57 / 90, in the cell's units.
  const Call c = calls.at({1, 1});
  EXPECT_EQ(c.w, 24);
  EXPECT_EQ(c.h, 24);
  EXPECT_NEAR(c.x0, (33.0 / 90 - 1.1 / 3) / (0.8 / 3), 1e-9);
  EXPECT_NEAR(c.y0, c.x0, 1e-9);
  EXPECT_NEAR(c.x1, (57.0 / 90 - 1.1 / 3) / (0.8 / 3), 1e-9);
  EXPECT_EQ(px[(size_t(45) * W + 45) * 4], 200) << "the cell's pixels come from its decoder";
  EXPECT_EQ(px[(size_t(45) * W + 30) * 4], kOutsideRgba[0]) << "pixel 30 is in the gap";
  EXPECT_EQ(px[(size_t(45) * W + 30) * 4 + 3], 255);

  // A region inside one cell: that cell alone, over exactly the region.
  calls.clear();
  decodeMosaic(g, Region{0.45, 0.45, 0.55, 0.55}, 10, 10, out,
               [&](int row, int col, double x0, double y0, double x1, double y1, int w, int h, torch::Tensor) {
                 calls[{row, col}] = {x0, y0, x1, y1, w, h};
               });
  ASSERT_EQ(calls.size(), 1u);
  const Call d = calls.begin()->second;
  EXPECT_EQ(calls.begin()->first, std::make_pair(1, 1));
  EXPECT_EQ(d.w, 10);
  EXPECT_NEAR(d.x0, (0.45 - 1.1 / 3) / (0.8 / 3), 1e-9);
  EXPECT_NEAR(d.x1, (0.55 - 1.1 / 3) / (0.8 / 3), 1e-9);
}

}  // namespace
}  // namespace fieldscope
