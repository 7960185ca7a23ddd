#pragma once
// FieldSource: what the inference worker evaluates -- the procedural field now, model fields
// later. Torch-free interface; implementations evaluate with torch on the worker thread.
#include <cstdint>
#include <string>

#include "render/view2d.h"

namespace fieldscope {

class FieldSource {
 public:
  virtual ~FieldSource() = default;
  virtual std::string name() const = 0;
  // True when the field exists only on the image [0,1]^2 (a sample); false for infinite fields.
  virtual bool bounded() const = 0;
  // Decodes the pixel-centre grid of `region` (W x H pixels) as RGBA8 into `out`, whose rows
  // are `rowStrideBytes` apart. Runs on the worker thread only.
  virtual void decodeRegion(const Region& region, int W, int H, uint8_t* out, int64_t rowStrideBytes) = 0;
};

}  // namespace fieldscope
