#include "model/shape/shape_vae_io.h"

#include <stdexcept>

#include "model/checkpoint/module_state.h"

namespace fieldscope {

void storeShapeVae(Checkpoint& ckpt, const ShapeVae& vae) {
  ckpt.config["vae"] = vae->config().toJson();
  storeModule(ckpt, "vae.", *vae);
}

ShapeVae restoreShapeVae(const Checkpoint& ckpt) {
  if (!ckpt.config.contains("vae"))
    throw std::runtime_error("checkpoint '" + ckpt.file.string() + "' has no shape VAE");
  ShapeVaeConfig cfg;
  try {
    cfg = ShapeVaeConfig::fromJson(ckpt.config.at("vae"));
  } catch (const std::exception& e) {
    throw std::runtime_error("checkpoint '" + ckpt.file.string() + "': " + e.what());
  }
  ShapeVae vae(cfg);
  restoreModule(ckpt, "vae.", *vae);
  vae->eval();
  return vae;
}

}  // namespace fieldscope
