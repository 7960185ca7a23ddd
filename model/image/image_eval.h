#pragma once
// Reconstruction through the VAE (posterior mean, rendered at the training resolution, si = 1).
#include <torch/types.h>

#include "model/image/image_vae.h"
#include "model/util/work_progress.h"

namespace fieldscope {

// images: N x 3 x R x R in [-1,1] -> reconstructions, same shape. No gradients. `progress` counts
// images.
torch::Tensor reconstructImages(ImageVae& vae, const torch::Tensor& images, int64_t batch = 64,
                                const WorkProgress& progress = {});

}  // namespace fieldscope
