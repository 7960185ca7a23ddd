#pragma once
// The image `sample` command's values, checked before any work starts (issue 15, items 7 and 8):
// each message names the flag, the value and the limit, so nothing silently becomes something
// else (a 1e-16-wide region, a 0x0 grid, a 99999-pixel side).
#include <array>
#include <string>
#include <utility>

namespace fieldscope {

inline constexpr int kMaxSampleSide = 32768;     // --size: each side 1..32768
inline constexpr int kMaxGridSide = 256;         // --grid: columns and rows each 1..256
inline constexpr int kGridCountWithoutYes = 64;  // a larger --grid needs --yes
inline constexpr double kMinRegionExtent = 1e-10;  // the viewer's deepest tiles are ~6e-8 wide
inline constexpr double kMaxRegionCoordinate = 1e6;

// "WxH" with each side 1..kMaxSampleSide.
std::pair<int, int> parseSampleSize(const std::string& text);
// "CxR" with columns and rows each 1..kMaxGridSide.
std::pair<int, int> parseGrid(const std::string& text);
// "x0,y0,x1,y1": finite, |v| <= kMaxRegionCoordinate, |x1-x0| and |y1-y0| >= kMinRegionExtent.
std::array<double, 4> parseRegion(const std::string& text);

}  // namespace fieldscope
