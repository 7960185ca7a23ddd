#pragma once
// The video VAE inside a checkpoint: config["vae"] holds its sizes, tensors are "vae.<name>".
#include "model/checkpoint/checkpoint.h"
#include "model/video/video_vae.h"

namespace fieldscope {

void storeVideoVae(Checkpoint& ckpt, const VideoVae& vae);
// Throws naming the checkpoint file when it has no video VAE or the tensors do not fit the config.
VideoVae restoreVideoVae(const Checkpoint& ckpt);

}  // namespace fieldscope
