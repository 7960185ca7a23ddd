#pragma once
// Photo crops (model/photo_data) as torch tensors for the SR trainers.
#include <torch/types.h>

#include <vector>

#include "model/photo_data/photo_image.h"
#include "model/photo_data/photo_pixels.h"

namespace fieldscope {

// A user's picture as the SR models read it: rgb 1 x 3 x h x w in [-1, 1], alpha 1 x 1 x h x w in
// [0, 1] (undefined when the picture has none). 8- and 16-bit samples alike.
struct PhotoPlanes {
  torch::Tensor rgb, alpha;
};
PhotoPlanes photoPlanes(const PhotoPixels& in);

// Equal-size RGB8 images -> N x 3 x H x W uint8 (an empty list: a 0 x 3 x 0 x 0 tensor).
torch::Tensor photosToTensor(const std::vector<Rgb8Image>& images);

// A batch of random side x side crops of random images of `photos` (uint8 N x 3 x S x S),
// each flipped and turned by a random multiple of 90 degrees -> B x 3 x side x side in [-1, 1].
torch::Tensor drawPhotoBatch(const torch::Tensor& photos, int64_t batch, int64_t side, const torch::Generator& gen);
// The same for the given images (`which`: indices into photos, e.g. a training step's shard).
torch::Tensor drawPhotoCrops(const torch::Tensor& photos, const torch::Tensor& which, int64_t side, const torch::Generator& gen);

}  // namespace fieldscope
