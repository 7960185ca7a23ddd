#pragma once
// Photo crops (model/photo_data) as torch tensors for the SR trainers.
#include <torch/types.h>

#include <vector>

#include "model/photo_data/photo_image.h"

namespace fieldscope {

// Equal-size RGB8 images -> N x 3 x H x W uint8 (an empty list: a 0 x 3 x 0 x 0 tensor).
torch::Tensor photosToTensor(const std::vector<Rgb8Image>& images);

// A batch of random side x side crops of random images of `photos` (uint8 N x 3 x S x S),
// each flipped and turned by a random multiple of 90 degrees -> B x 3 x side x side in [-1, 1].
torch::Tensor drawPhotoBatch(const torch::Tensor& photos, int64_t batch, int64_t side, const torch::Generator& gen);

}  // namespace fieldscope
