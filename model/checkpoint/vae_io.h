#pragma once
// A domain's VAE inside a checkpoint, whatever the domain: config["vae"] holds its sizes (the
// config type's toJson / fromJson), tensors are "vae.<name>". The shape and video VAEs are stored
// and restored through these (shape_vae_io.h, video_vae_io.h).
#include <stdexcept>
#include <string>

#include "model/checkpoint/checkpoint.h"
#include "model/checkpoint/module_state.h"

namespace fieldscope {

template <class Vae>
void storeVae(Checkpoint& ckpt, const Vae& vae) {
  ckpt.config["vae"] = vae->config().toJson();
  storeModule(ckpt, "vae.", *vae);
}

// Throws naming the checkpoint file when it has no VAE (`what`: "shape VAE") or the tensors do not
// fit the config. The module is returned in eval mode.
template <class Vae, class Config>
Vae restoreVae(const Checkpoint& ckpt, const std::string& what) {
  if (!ckpt.config.contains("vae")) throw std::runtime_error("checkpoint '" + ckpt.file.string() + "' has no " + what);
  Config cfg;
  try {
    cfg = Config::fromJson(ckpt.config.at("vae"));
  } catch (const std::exception& e) {
    throw std::runtime_error("checkpoint '" + ckpt.file.string() + "': " + e.what());
  }
  Vae vae(cfg);
  restoreModule(ckpt, "vae.", *vae);
  vae->eval();
  return vae;
}

}  // namespace fieldscope
