#include "render/tile_pyramid.h"

#include <algorithm>
#include <cmath>

namespace fieldscope {

Region tileRegion(const TileKey& k) {
  const double s = std::ldexp(1.0, -k.level);
  return {double(k.x) * s, double(k.y) * s, double(k.x + 1) * s, double(k.y + 1) * s};
}

bool tileInsideImage(const TileKey& k) {
  const int64_t n = int64_t(1) << k.level;
  return k.x >= 0 && k.y >= 0 && k.x < n && k.y < n;
}

int targetLevel(double unitsPerPixel, int tileSize, int maxLevel) {
  // texel size 2^-L / T <= unitsPerPixel  <=>  L >= log2(1 / (T * unitsPerPixel))
  const double l = std::ceil(std::log2(1.0 / (tileSize * unitsPerPixel)) - 1e-9);
  return std::clamp(static_cast<int>(l), 0, maxLevel);
}

VisibleTiles visibleTiles(const View2D& view, int tileSize, int maxLevel) {
  VisibleTiles v;
  v.level = targetLevel(view.unitsPerPixel(), tileSize, maxLevel);
  const double n = std::ldexp(1.0, v.level);  // tiles per image unit
  const Region r = view.region();
  const double tx0 = r.x0 * n, ty0 = r.y0 * n, tx1 = r.x1 * n, ty1 = r.y1 * n;
  v.x0 = static_cast<int64_t>(std::floor(tx0));
  v.y0 = static_cast<int64_t>(std::floor(ty0));
  v.cols = static_cast<int>(std::ceil(tx1) - double(v.x0));
  v.rows = static_cast<int>(std::ceil(ty1) - double(v.y0));
  v.originX = tx0 - double(v.x0);
  v.originY = ty0 - double(v.y0);
  v.pixelInTiles = view.unitsPerPixel() * n;
  return v;
}

}  // namespace fieldscope
