#pragma once
// The SR autoencoder inside a checkpoint: config["vae"] holds its sizes, tensors are "vae.<name>"
// (model/checkpoint/vae_io.h).
#include "model/checkpoint/checkpoint.h"
#include "model/sr/sr_autoencoder.h"

namespace fieldscope {

void storeSrAutoencoder(Checkpoint& ckpt, const SrAutoencoder& ae);
// Throws naming the checkpoint file when it has no SR autoencoder or the tensors do not fit.
SrAutoencoder restoreSrAutoencoder(const Checkpoint& ckpt);

}  // namespace fieldscope
