#pragma once
// The video model's field readout (DDMI video, docs/architecture.md "The video domain"): three levels
// of rolled basis fields (each one image: the xy plane's rows, then the xt plane's, then the yt
// plane's), read bilinearly at a point's three projections -- xy at (x, y), xt at (x, t), yt at
// (y, t) -- and concatenated (DESIGN §5.1: the video planes are concatenated, the shape planes summed),
// then a coarse-to-fine MLP like the shape one, out to RGB in [-1, 1]:
//   h = linear(xyt) + resFC(coarse) -> W; h = resFC([h, middle]); h = resFC([h, fine]);
//   h = resFC(h); rgb = linear(relu(h)).
// Points are (x, y, t) in [-1, 1]^3 with the fields' cells centred (align_corners false): see
// videoUnitTime and videoUnitPixel for frames and pixels.
#include <torch/nn.h>

#include <vector>

#include "model/nn/res_fc.h"
#include "model/video/video_vae_config.h"

namespace fieldscope {

// levels[k]: F x R_k x W_k, or N x F x R_k x W_k for a batch; R_k = (xyRows + 2 timeRows) 2^k.
struct VideoFields {
  std::vector<torch::Tensor> levels;
  int64_t xyRows = 0, timeRows = 0;  // of level 0
};

// Clip time t in [0, 1] (frame k of T at k / (T - 1)) -> the fields' time coordinate.
double videoUnitTime(double t, int frames);
// Pixel centre i of n across [lo, hi] (a part of the frame, 0..1) -> the fields' coordinate.
double videoUnitPixel(int64_t i, int64_t n, double lo = 0.0, double hi = 1.0);

// The three planes of one level read at points (P x 3 or N x P x 3): P x 3F (N x P x 3F).
torch::Tensor sampleRolledPlanes(const torch::Tensor& level, int64_t xyRows, int64_t timeRows,
                                 const torch::Tensor& unitPoints);

class VideoReadoutImpl : public torch::nn::Module {
 public:
  explicit VideoReadoutImpl(const VideoVaeConfig& c);
  // points P x 3 (N x P x 3 for batched fields) -> P x 3 (N x P x 3) colours in about [-1, 1].
  torch::Tensor forward(const VideoFields& fields, const torch::Tensor& unitPoints);

 private:
  torch::nn::Linear pointIn{nullptr}, out{nullptr};
  ResFc coarseIn{nullptr}, middle{nullptr}, fine{nullptr}, last{nullptr};
};
TORCH_MODULE(VideoReadout);

}  // namespace fieldscope
