#pragma once
// Many NeRF scenes fitted together by auto-decoding (docs/architecture.md "The NeRF domain"): one
// triplane per scene, one MLP they share. Inside a checkpoint: domain "nerf", kind "scene-set",
// config["nerf"] the sizes, config["scenes"] the scenes' names, tensors "planes" (N, 3, C, R, R)
// and "mlp.<name>". The NeRF VAE and its diffusion model are trained on these planes.
#include <string>
#include <vector>

#include "model/checkpoint/checkpoint.h"
#include "model/nerf/nerf_field.h"

namespace fieldscope {

struct NerfSceneSet {
  NerfConfig config;
  torch::Tensor planes;  // (N, 3, C, R, R)
  NerfMlp mlp{nullptr};
  std::vector<std::string> names;  // N

  int64_t count() const { return planes.size(0); }
  // Scene i as a field (its planes are a view of `planes`; the MLP is shared).
  NerfField field(int64_t i) const;
};

void storeNerfSceneSet(Checkpoint& ckpt, const NerfSceneSet& set);
// Throws naming the checkpoint file when it holds no scene set or its tensors do not fit.
NerfSceneSet restoreNerfSceneSet(const Checkpoint& ckpt);

// Checks that `planes` is finite float32 of shape lead... x 3 x C x R x R for `config`; throws
// naming `file` and the tensor otherwise.
void checkPlanes(const torch::Tensor& planes, const NerfConfig& config, std::vector<int64_t> lead,
                 const std::string& file, const std::string& name = "planes");

}  // namespace fieldscope
