#include "model/image/image_vae_io.h"

#include <stdexcept>

#include "model/checkpoint/module_state.h"

namespace fieldscope {

void storeVae(Checkpoint& ckpt, const ImageVae& vae) {
  ckpt.config["vae"] = vae->config().toJson();
  storeModule(ckpt, "vae.", *vae);
}

ImageVae restoreVae(const Checkpoint& ckpt) {
  if (!ckpt.config.contains("vae"))
    throw std::runtime_error("checkpoint '" + ckpt.file.string() + "' has no image VAE");
  ImageVaeConfig cfg;
  try {
    cfg = ImageVaeConfig::fromJson(ckpt.config["vae"]);
  } catch (const std::exception& e) {
    throw std::runtime_error("checkpoint '" + ckpt.file.string() + "': " + e.what());
  }
  ImageVae vae(cfg);
  restoreModule(ckpt, "vae.", *vae);
  vae->eval();
  return vae;
}

}  // namespace fieldscope
