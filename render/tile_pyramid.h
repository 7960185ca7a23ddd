#pragma once
// The tile pyramid (docs/architecture.md "Data flow of one decode"): level L splits the image [0,1]^2 into 2^L x 2^L tiles
// of T x T texels. Pure math, no Vulkan.
#include <cstdint>
#include <functional>

#include "render/view2d.h"

namespace fieldscope {

// A tile of one source at one time: `source` tells fields apart in one cache (switching
// A -> B -> A finds A's tiles again), `time` is the source's own frame/time index (video
// frames; 0 for still fields). See docs/architecture.md "Tile2DView".
struct TileKey {
  int level = 0;
  int64_t x = 0, y = 0;
  uint64_t source = 0;
  int64_t time = 0;
  bool operator==(const TileKey&) const = default;
  TileKey parent(int levels = 1) const { return {level - levels, x >> levels, y >> levels, source, time}; }
};

struct TileKeyHash {
  size_t operator()(const TileKey& k) const {
    return std::hash<int64_t>()(k.x * 73856093 ^ k.y * 19349663 ^ int64_t(k.level) * 83492791 ^
                                int64_t(k.source) * 2654435761 ^ k.time * 40503);
  }
};

// The field region a tile covers.
Region tileRegion(const TileKey& key);
// True if the tile overlaps the image [0,1]^2.
bool tileInsideImage(const TileKey& key);

// The level whose texels are no larger than a screen pixel (tiles show at T..2T pixels).
int targetLevel(double unitsPerPixel, int tileSize, int maxLevel);

// The grid of target-level tiles covering a view, and where the view sits in it.
struct VisibleTiles {
  int level = 0;
  int64_t x0 = 0, y0 = 0;  // first tile
  int cols = 0, rows = 0;
  double originX = 0, originY = 0;  // view's pixel (0,0) corner, in tile units relative to (x0, y0)
  double pixelInTiles = 0;          // one screen pixel in tile units
};
VisibleTiles visibleTiles(const View2D& view, int tileSize, int maxLevel);

}  // namespace fieldscope
