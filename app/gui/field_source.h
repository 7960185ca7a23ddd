#pragma once
// FieldSource: what the inference worker evaluates -- the procedural field now, model fields
// later. Torch-free interface; implementations evaluate with torch on the worker thread.
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

#include "render/view2d.h"

namespace fieldscope {

// Where a decode writes RGBA8 rows: host memory, or CUDA memory shared with Vulkan.
struct PixelTarget {
  uint8_t* data = nullptr;      // host address, or CUDA device address when cudaDevice >= 0
  int64_t rowStrideBytes = 0;
  int cudaDevice = -1;
};

class FieldSource {
 public:
  FieldSource() : uid_(nextUid()) {}
  virtual ~FieldSource() = default;
  // Unique per source object of this process: the tile cache keys tiles by it.
  uint64_t uid() const { return uid_; }
  virtual std::string name() const = 0;
  // True when the field exists only on the image [0,1]^2 (a sample); false for infinite fields.
  virtual bool bounded() const = 0;
  // Decodes the pixel-centre grid of `region` (W x H pixels) as RGBA8 into `out`. Runs on the
  // worker thread only.
  virtual void decodeRegion(const Region& region, int W, int H, const PixelTarget& out) = 0;
  // What the source is doing before its first pixels exist ("sampling: DDIM step 12/50"),
  // for the status line; "" when nothing. Called from the UI thread.
  virtual std::string progressNote() const { return {}; }
  // The same at time index `time` (the source's own units, e.g. video frames); still fields
  // have only time 0.
  virtual void decodeRegionAt(int64_t time, const Region& region, int W, int H, const PixelTarget& out) {
    (void)time;
    decodeRegion(region, W, H, out);
  }

 private:
  static uint64_t nextUid() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1);
  }
  uint64_t uid_;
};

// Where a bounded field has no image: the same colour the compositor shows for "nothing".
inline constexpr uint8_t kOutsideRgba[4] = {20, 20, 23, 255};

// Pixel range [p0, p1) (clamped to [0, n)) of a grid starting at `origin` with `step` whose
// pixel centres lie in [a, b).
std::pair<int, int> pixelRangeInside(double a, double b, double origin, double step, int n);

}  // namespace fieldscope
