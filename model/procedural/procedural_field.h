#pragma once
// A procedural 2D field with detail at every scale: the viewer's content before a model is
// loaded, and the reference field the compositor tests compare against. Each octave is a
// warped grating at twice the previous frequency; octaves finer than the pixel grid fade
// out (band-limited), so every zoom level shows new, alias-free detail. Evaluated in
// float64 so it stays exact at deep zoom.
#include <torch/types.h>

namespace fieldscope {

// RGB in [0,1], HxWx3 float32, on the pixel-centre grid of [x0,x1]x[y0,y1]
// (pixel (i,j) centre at x0 + (j+0.5)(x1-x0)/W, y0 + (i+0.5)(y1-y0)/H).
torch::Tensor proceduralFieldRgb(double x0, double y0, double x1, double y1, int W, int H);

// Same, quantised to RGBA8 (alpha 255) and written into `out` (HxWx4 uint8; may be a
// strided view of shared memory).
void proceduralFieldRegion(double x0, double y0, double x1, double y1, int W, int H, torch::Tensor out);

// Float RGB in [0,1] -> RGBA8 into `out`: the one quantiser every 2D decoder uses.
void writeRgba8(const torch::Tensor& rgb01, torch::Tensor out);

}  // namespace fieldscope
