#include "model/video_data/square_frames.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "model/video_data/box_filter.h"

namespace fieldscope {

std::vector<std::uint8_t> centreSquare(const std::uint8_t* rgb, int width, int height, int size) {
  const int side = std::min(width, height);
  const std::size_t left = static_cast<std::size_t>((width - side) / 2), top = static_cast<std::size_t>((height - side) / 2);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(size) * size * 3);
  double acc[3] = {0, 0, 0};
  boxFilterSquare(
      side, size,
      [&](int sx, int sy, double w) {
        const std::uint8_t* p = rgb + ((top + sy) * width + left + sx) * 3;
        for (int c = 0; c < 3; ++c) acc[c] += w * p[c];
      },
      [&](int x, int y, double wsum) {
        for (int c = 0; c < 3; ++c) {
          out[(static_cast<std::size_t>(y) * size + x) * 3 + c] =
              static_cast<std::uint8_t>(std::lround(std::clamp(acc[c] / wsum, 0.0, 255.0)));
          acc[c] = 0;
        }
      });
  return out;
}

void shorterSideTo(int width, int height, int size, int& outWidth, int& outHeight) {
  if (width <= height) {
    outWidth = size;
    outHeight = std::max(size, static_cast<int>(std::lround(static_cast<double>(height) * size / width)));
  } else {
    outHeight = size;
    outWidth = std::max(size, static_cast<int>(std::lround(static_cast<double>(width) * size / height)));
  }
}

}  // namespace fieldscope
