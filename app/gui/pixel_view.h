#pragma once
// The torch view of a PixelTarget: H x W x 4 uint8 over its memory (no copy).
#include <torch/types.h>

#include "app/gui/field_source.h"

namespace fieldscope {
inline torch::Tensor pixelView(const PixelTarget& t, int W, int H) {
  auto options = torch::TensorOptions().dtype(torch::kUInt8);
  if (t.cudaDevice >= 0) options = options.device(torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(t.cudaDevice)));
  return torch::from_blob(t.data, {H, W, 4}, {t.rowStrideBytes, 4, 1}, options);
}
}  // namespace fieldscope
