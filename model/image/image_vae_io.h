#pragma once
// The image VAE inside a checkpoint: config["vae"] holds its sizes, tensors are "vae.<name>".
#include "model/checkpoint/checkpoint.h"
#include "model/image/image_vae.h"

namespace fieldscope {

void storeVae(Checkpoint& ckpt, const ImageVae& vae);
// Throws naming the checkpoint file when it has no VAE or the tensors do not fit the config.
ImageVae restoreVae(const Checkpoint& ckpt);

}  // namespace fieldscope
