#include "app/domains/image/cli/sample_checks.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace fieldscope {
namespace {

// "AxB" with both in [1, limit]; false for anything else.
bool parsePair(const std::string& text, int limit, int& a, int& b) {
  char x = 0, extra = 0;
  long la = 0, lb = 0;
  if (std::sscanf(text.c_str(), "%ld%c%ld%c", &la, &x, &lb, &extra) != 3 || (x != 'x' && x != 'X')) return false;
  if (la < 1 || lb < 1 || la > limit || lb > limit) return false;
  a = int(la);
  b = int(lb);
  return true;
}

std::string shortNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

std::pair<int, int> parseSampleSize(const std::string& text) {
  int w = 0, h = 0;
  if (!parsePair(text, kMaxSampleSide, w, h))
    throw std::runtime_error("bad --size '" + text + "': expected WxH in pixels, each side from 1 to " +
                             std::to_string(kMaxSampleSide) + " (e.g. 512x512)");
  return {w, h};
}

std::pair<int, int> parseGrid(const std::string& text) {
  int c = 0, r = 0;
  if (!parsePair(text, kMaxGridSide, c, r))
    throw std::runtime_error("bad --grid '" + text + "': expected COLUMNSxROWS of seeds, each from 1 to " +
                             std::to_string(kMaxGridSide) + " (e.g. 4x4)");
  return {c, r};
}

std::array<double, 4> parseRegion(const std::string& text) {
  std::array<double, 4> r{};
  char extra = 0;
  const std::string where = "bad --region '" + text + "': ";
  if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf%c", &r[0], &r[1], &r[2], &r[3], &extra) != 4)
    throw std::runtime_error(where + "expected x0,y0,x1,y1 (image coordinates: the picture is 0,0,1,1)");
  for (double v : r)
    if (!std::isfinite(v) || std::fabs(v) > kMaxRegionCoordinate)
      throw std::runtime_error(where + "every coordinate must be a number within +-" + shortNumber(kMaxRegionCoordinate) +
                               " (the picture is 0..1)");
  const double w = std::fabs(r[2] - r[0]), h = std::fabs(r[3] - r[1]);
  if (w < kMinRegionExtent || h < kMinRegionExtent)
    throw std::runtime_error(where + "it is " + shortNumber(w) + " wide and " + shortNumber(h) +
                             " tall; a region must be at least " + shortNumber(kMinRegionExtent) +
                             " each way (the field has no finer detail to show)");
  return r;
}

}  // namespace fieldscope
