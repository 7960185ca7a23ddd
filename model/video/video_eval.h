#pragma once
// How well the video VAE reconstructs clips (docs/architecture.md "The video domain"): PSNR of
// every frame decoded from the posterior mean against the clip, and -- for a model trained on the
// even frames only -- of the odd frames the field fills in against the true ones, beside the PSNR
// of the linear blend of their neighbours.
#include <torch/types.h>

#include "model/video/video_vae.h"

namespace fieldscope {

struct VideoReconstruction {
  double psnr = 0;          // dB over every frame (frameStride 1) or the frames the model saw
  double betweenPsnr = -1;  // dB, the skipped frames as the field decodes them (-1: stride 1)
  double blendPsnr = -1;    // dB, the skipped frames as the blend of their neighbours
  int64_t clips = 0;
};

// clips: N x T x 3 x S x S uint8. With frameStride > 1 the encoder sees the blended clip
// (blendSkippedFrames) and the skipped frames are scored separately.
VideoReconstruction evaluateVideoReconstruction(VideoVae& vae, const torch::Tensor& clips, int frameStride = 1);

// PSNR (dB) of colours in [0, 1]; 99 for identical inputs.
double psnr01(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace fieldscope
