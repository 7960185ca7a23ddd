#pragma once
// The one resampler of the super-resolution domain (docs/architecture.md "The super-resolution
// domain"): separable Catmull-Rom bicubic (a = -0.5, PIL's and MATLAB's imresize kernel),
// widened by the scale when shrinking (antialiased), edges clamped, pixel centres aligned
// (align_corners = false). It makes the training pairs' low-resolution inputs, the bicubic
// baseline, the encoder's input and the LR-consistency check; and because any block of output
// rows or columns can be computed alone, a tile of a resize equals that part of the whole resize.
#include <torch/types.h>

namespace fieldscope {

// Weights of output samples [outStart, outStart + outCount) of a resize from inSize to outSize:
// an outCount x inSize float matrix (rows sum to 1).
torch::Tensor cubicResampleMatrix(int64_t inSize, int64_t outSize, int64_t outStart, int64_t outCount);

// The same kernel on a continuous grid: `count` samples whose cells tile [begin, begin + count *
// step) in input pixel units (0 = the input's left edge); widened by `step` when it is over 1.
torch::Tensor cubicSampleMatrix(int64_t inSize, double begin, double step, int64_t count);

// N x C x h x w samples of the region [x0, x1] x [y0, y1] (input pixel units) at pixel centres.
torch::Tensor cubicSampleRegion(const torch::Tensor& images, double x0, double y0, double x1, double y1, int64_t w,
                                int64_t h);

// Resizes N x C x H x W (any float range) to outH x outW.
torch::Tensor cubicResize(const torch::Tensor& images, int64_t outH, int64_t outW);

// Rows [y0, y0+h) and columns [x0, x0+w) of cubicResize(images, outH, outW), computed alone.
torch::Tensor cubicResizeRegion(const torch::Tensor& images, int64_t outH, int64_t outW, int64_t y0, int64_t x0, int64_t h,
                                int64_t w);

}  // namespace fieldscope
