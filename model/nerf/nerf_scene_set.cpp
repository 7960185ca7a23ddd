#include "model/nerf/nerf_scene_set.h"

#include <torch/torch.h>

#include <stdexcept>

#include "model/checkpoint/module_state.h"

namespace fieldscope {

NerfField NerfSceneSet::field(int64_t i) const { return NerfField{config, planes[i], mlp}; }

void checkPlanes(const torch::Tensor& planes, const NerfConfig& config, std::vector<int64_t> want,
                 const std::string& file, const std::string& name) {
  for (int64_t d : {int64_t(3), int64_t(config.planeChannels), int64_t(config.planeResolution),
                    int64_t(config.planeResolution)})
    want.push_back(d);
  if (planes.sizes() != torch::IntArrayRef(want) || planes.scalar_type() != torch::kFloat32)
    throw std::runtime_error("'" + file + "': tensor '" + name + "' is not float32 " + c10::str(torch::IntArrayRef(want)) +
                             " (it is " + c10::str(planes.scalar_type()) + " " + c10::str(planes.sizes()) + ")");
  if (!torch::isfinite(planes).all().item<bool>())
    throw std::runtime_error("'" + file + "': tensor '" + name + "' holds non-finite values");
}

void storeNerfSceneSet(Checkpoint& ckpt, const NerfSceneSet& set) {
  ckpt.config["nerf"] = set.config.toJson();
  ckpt.config["scenes"] = set.names;
  ckpt.tensors["planes"] = set.planes.detach().to(torch::kCPU).contiguous().clone();
  storeModule(ckpt, "mlp.", *set.mlp);
}

NerfSceneSet restoreNerfSceneSet(const Checkpoint& ckpt) {
  const std::string file = ckpt.file.string();
  const std::string kind = ckpt.config.value("kind", "");
  if (kind != "scene-set" && kind != "scene-set-fit-state")  // a model, or its training state (resume)
    throw std::runtime_error("'" + file + "' is not a NeRF scene set (kind \"" + kind +
                             "\"; `fieldscope train nerf-planes` makes one)");
  NerfSceneSet s;
  try {
    s.config = NerfConfig::fromJson(ckpt.config.at("nerf"));
    s.names = ckpt.config.at("scenes").get<std::vector<std::string>>();
  } catch (const std::exception& e) {
    throw std::runtime_error("'" + file + "': " + e.what());
  }
  checkPlanes(ckpt.at("planes"), s.config, {int64_t(s.names.size())}, file);
  if (s.names.empty()) throw std::runtime_error("'" + file + "': the scene set is empty");
  s.planes = ckpt.at("planes");
  s.mlp = NerfMlp(s.config);
  restoreModule(ckpt, "mlp.", *s.mlp);
  s.mlp->eval();
  return s;
}

}  // namespace fieldscope
