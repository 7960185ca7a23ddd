#pragma once
// The area (box) filter that shrinks a square picture: output pixel (x, y) of a size x size grid
// laid over a side x side source is the mean of the source pixels it covers, each weighted by the
// area it shares with the output pixel. Written once for the emoji glyphs (emoji_glyphs.*) and the
// user's footage (square_frames.*).
#include <algorithm>
#include <cmath>

namespace fieldscope {

// Calls add(sx, sy, weight) for every source pixel under output pixel (x, y), then
// done(x, y, weightSum), for every output pixel, row by row.
template <class Add, class Done>
void boxFilterSquare(int side, int size, Add&& add, Done&& done) {
  const double scale = static_cast<double>(side) / size;
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      double wsum = 0;
      const double y0 = y * scale, y1 = (y + 1) * scale, x0 = x * scale, x1 = (x + 1) * scale;
      for (int sy = static_cast<int>(y0); sy < std::min<int>(side, static_cast<int>(std::ceil(y1))); ++sy) {
        const double wy = std::min<double>(sy + 1, y1) - std::max<double>(sy, y0);
        for (int sx = static_cast<int>(x0); sx < std::min<int>(side, static_cast<int>(std::ceil(x1))); ++sx) {
          const double w = wy * (std::min<double>(sx + 1, x1) - std::max<double>(sx, x0));
          add(sx, sy, w);
          wsum += w;
        }
      }
      done(x, y, wsum);
    }
}

}  // namespace fieldscope
