#include "model/sr/sr_degrade.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "model/sr/cubic_resample.h"

namespace fieldscope {

torch::Tensor quantize8(const torch::Tensor& x) { return torch::round((x.clamp(-1, 1) + 1) * 127.5) / 127.5 - 1; }

torch::Tensor degrade(const torch::Tensor& hr, int64_t h, int64_t w) { return quantize8(cubicResize(hr, h, w)); }

int64_t lowResSide(int64_t side, double scale) { return std::max<int64_t>(1, std::llround(double(side) / scale)); }

torch::Tensor bytesToUnit(const torch::Tensor& bytes) { return bytes.to(torch::kFloat32) / 127.5 - 1; }

}  // namespace fieldscope
