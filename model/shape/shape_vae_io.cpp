#include "model/shape/shape_vae_io.h"

#include "model/checkpoint/vae_io.h"

namespace fieldscope {

void storeShapeVae(Checkpoint& ckpt, const ShapeVae& vae) { storeVae(ckpt, vae); }

ShapeVae restoreShapeVae(const Checkpoint& ckpt) { return restoreVae<ShapeVae, ShapeVaeConfig>(ckpt, "shape VAE"); }

}  // namespace fieldscope
