#pragma once
// FieldSource: what the inference worker evaluates -- the procedural field now, model fields
// later. Torch-free interface; implementations evaluate with torch on the worker thread.
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
  virtual ~FieldSource() = default;
  virtual std::string name() const = 0;
  // True when the field exists only on the image [0,1]^2 (a sample); false for infinite fields.
  virtual bool bounded() const = 0;
  // Decodes the pixel-centre grid of `region` (W x H pixels) as RGBA8 into `out`. Runs on the
  // worker thread only.
  virtual void decodeRegion(const Region& region, int W, int H, const PixelTarget& out) = 0;
};

// Where a bounded field has no image: the same colour the compositor shows for "nothing".
inline constexpr uint8_t kOutsideRgba[4] = {20, 20, 23, 255};

// Pixel range [p0, p1) (clamped to [0, n)) of a grid starting at `origin` with `step` whose
// pixel centres lie in [a, b).
std::pair<int, int> pixelRangeInside(double a, double b, double origin, double step, int n);

}  // namespace fieldscope
