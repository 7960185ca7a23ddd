#pragma once
// Clips as training tensors (docs/architecture.md "The video domain"): a clip data set
// (model/video_data/clip_dataset.h) as one uint8 tensor, and the batches the video VAE trains on --
// the clips (for the encoder) and random (x, y, t) samples of them with their colours (for the
// readout). With a frame stride the odd frames are never seen: the encoder gets the blend of their
// neighbours instead and no sample falls on them (the in-between experiment of the model card).
#include <torch/types.h>

#include <vector>

#include "model/video_data/clip_dataset.h"

namespace fieldscope {

// N x T x 3 x S x S uint8. Throws when the clips differ in size or frame count.
torch::Tensor clipsToTensor(const std::vector<Clip>& clips);

struct ClipBatch {
  torch::Tensor clips;    // B x T x 3 x S x S float in [-1, 1]
  torch::Tensor points;   // B x Q x 3 (x, y, t) in the fields' coordinates
  torch::Tensor colours;  // B x Q x 3 in [-1, 1]
};

// Clips `index` of `all` with `queries` samples each at pixel centres of frames k with
// k % frameStride == 0 (1: every frame).
ClipBatch drawClipBatch(const torch::Tensor& all, const torch::Tensor& index, int queries, int frameStride,
                        const torch::Generator& gen);

// Frames whose index is not a multiple of `stride` replaced by the linear blend of the nearest kept
// frames (the last kept one past the end). B x T x 3 x S x S, any dtype; stride 1: unchanged.
torch::Tensor blendSkippedFrames(const torch::Tensor& clips, int stride);

}  // namespace fieldscope
