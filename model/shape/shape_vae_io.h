#pragma once
// The shape VAE inside a checkpoint: config["vae"] holds its sizes, tensors are "vae.<name>".
#include "model/checkpoint/checkpoint.h"
#include "model/shape/shape_vae.h"

namespace fieldscope {

void storeShapeVae(Checkpoint& ckpt, const ShapeVae& vae);
// Throws naming the checkpoint file when it has no shape VAE or the tensors do not fit the config.
ShapeVae restoreShapeVae(const Checkpoint& ckpt);

}  // namespace fieldscope
