#pragma once
// Reading basis fields at continuous image coordinates (x right, y down, the image is [0,1]²),
// bilinear with border padding and align_corners=false, exactly like grid_sample:
// a field of width w has its sample k at x = (k + 0.5) / w.
#include <torch/types.h>

namespace fieldscope {

// Arbitrary points: field N x C x h x w, coords N x P x 2 (x, y) -> N x P x C (via grid_sample).
torch::Tensor sampleFieldAt(const torch::Tensor& field, const torch::Tensor& coords);

// Interpolation of a regular axis (the separable form of bilinear sampling): for sample positions
// `pos` (image coordinates) along an axis with `size` samples, index0, index1 and the weight of index1.
struct AxisLerp {
  torch::Tensor i0, i1, w;  // int64, int64, float32; one entry per position
};
AxisLerp axisLerp(const torch::Tensor& pos, int64_t size);

// Pixel centres of n pixels spanning [a, b]: a + (k + 0.5)(b - a)/n, computed in double on `device`.
torch::Tensor pixelCentres(double a, double b, int64_t n, torch::Device device = torch::kCPU);

// Regular grid readout of a channels-last field N x h x w x C: first along x for all rows of
// the field (N x h x W x C), then any subset of output rows along y (N x R x W x C). Separable
// bilinear interpolation equals grid_sample's bilinear on a regular grid, at a fraction of the cost.
// Runs in the field's dtype (fp16 fields: fp16 lerp; the weights are converted).
torch::Tensor lerpColumns(const torch::Tensor& fieldHwc, const AxisLerp& xs);
torch::Tensor lerpRows(const torch::Tensor& columns, const AxisLerp& ys);

}  // namespace fieldscope
