#include "model/sr/sr_ae_io.h"

#include "model/checkpoint/vae_io.h"

namespace fieldscope {

void storeSrAutoencoder(Checkpoint& ckpt, const SrAutoencoder& ae) { storeVae(ckpt, ae); }

SrAutoencoder restoreSrAutoencoder(const Checkpoint& ckpt) {
  return restoreVae<SrAutoencoder, SrAeConfig>(ckpt, "super-resolution autoencoder");
}

}  // namespace fieldscope
