#include "model/nerf/nerf_scene_io.h"

#include <torch/torch.h>

#include <stdexcept>

#include "model/checkpoint/module_state.h"
#include "model/nerf/nerf_scene_set.h"

namespace fieldscope {

void storeNerfField(Checkpoint& ckpt, const NerfField& field) {
  ckpt.config["nerf"] = field.config.toJson();
  ckpt.tensors["planes"] = field.planes.detach().to(torch::kCPU).contiguous().clone();
  storeModule(ckpt, "mlp.", *field.mlp);
}

NerfField restoreNerfField(const Checkpoint& ckpt) {
  if (!ckpt.config.contains("nerf"))
    throw std::runtime_error("'" + ckpt.file.string() + "' holds no NeRF field (no \"nerf\" config)");
  NerfField f;
  try {
    f.config = NerfConfig::fromJson(ckpt.config["nerf"]);
  } catch (const std::exception& e) {
    throw std::runtime_error("'" + ckpt.file.string() + "': " + e.what());
  }
  f.mlp = NerfMlp(f.config);
  restoreModule(ckpt, "mlp.", *f.mlp);
  const torch::Tensor& planes = ckpt.at("planes");
  checkPlanes(planes, f.config, {}, ckpt.file.string());
  f.planes = planes;
  f.mlp->eval();
  return f;
}

NerfField loadNerfScene(const std::filesystem::path& path) { return restoreNerfField(loadCheckpoint(path, "nerf")); }

}  // namespace fieldscope
