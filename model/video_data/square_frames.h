#pragma once
// The user's footage as training frames: the centre square of a frame (the longer side cropped
// equally on both sides), area-resized to size x size RGB8 (a box filter: each output pixel is the
// mean of the source pixels it covers, so shrinking does not alias).
#include <cstdint>
#include <vector>

namespace fieldscope {

// `rgb`: width*height*3, row-major, top row first. Returns size*size*3.
std::vector<std::uint8_t> centreSquare(const std::uint8_t* rgb, int width, int height, int size);

// The size to decode a width x height video at so that its shorter side is `size` pixels (the
// decoder's own area filter then does the shrinking; centreSquare only crops).
void shorterSideTo(int width, int height, int size, int& outWidth, int& outHeight);

}  // namespace fieldscope
