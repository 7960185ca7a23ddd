#pragma once
// Low-resolution inputs as the super-resolution domain makes them (docs/architecture.md "The
// super-resolution domain"): antialiased bicubic downsampling (cubic_resample.h) to
// round(side / scale), rounded to 8-bit levels as a saved photo would be.
#include <torch/types.h>

#include <cstdint>

namespace fieldscope {

// N x 3 x H x W in [-1, 1] -> N x 3 x h x w, clamped and rounded to 8-bit levels.
torch::Tensor degrade(const torch::Tensor& hr, int64_t h, int64_t w);
// round(side / scale), at least 1.
int64_t lowResSide(int64_t side, double scale);
// x in [-1, 1] rounded to the 256 levels of an 8-bit image.
torch::Tensor quantize8(const torch::Tensor& x);
// uint8 N x 3 x H x W -> float in [-1, 1].
torch::Tensor bytesToUnit(const torch::Tensor& bytes);

}  // namespace fieldscope
