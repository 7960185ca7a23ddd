#pragma once
// Starting a deeper SR autoencoder from a trained one (`train sr-ae --init-from`; docs/architecture.md
// "The super-resolution domain", "Training"): every tensor of `from` is copied into `to`, whose config
// may have more decoder blocks a level and must otherwise be the same. The decoder's blocks of a
// level keep their order; the extra ones come after them with their last convolution at zero, so
// they start as the identity and `to` renders exactly what `from` does.
#include "model/sr/sr_autoencoder.h"

namespace fieldscope {

// Throws std::runtime_error naming the difference when `to` cannot start from `from`.
void growSrAutoencoder(SrAutoencoder& to, const SrAutoencoder& from);

}  // namespace fieldscope
