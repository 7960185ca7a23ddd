#include "model/image/image_fields.h"

#include <torch/torch.h>

namespace fieldscope {

const std::array<torch::Tensor, 3>& ImageFields::channelsLast() {
  for (int i = 0; i < 3; ++i)
    if (!hwc[i].defined()) hwc[i] = levels[i].permute({0, 2, 3, 1}).contiguous();
  return hwc;
}

ImageFields ImageFields::select(int64_t index) const {
  ImageFields f;
  for (int i = 0; i < 3; ++i) {
    f.levels[i] = levels[i].narrow(0, index, 1);
    if (hwc[i].defined()) f.hwc[i] = hwc[i].narrow(0, index, 1);
  }
  return f;
}

}  // namespace fieldscope
