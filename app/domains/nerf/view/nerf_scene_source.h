#pragma once
// What the NeRF view shows (docs/architecture.md "The NeRF domain"): a fitted scene, always the
// same, or a generative model's scene of the chosen seed -- sampled (DDIM, then the VAE's
// decoder) on the baker thread, ahead of the bake that shows it, and kept for the exports.
#include <cstdint>
#include <memory>
#include <mutex>

#include "model/nerf/nerf_field.h"
#include "model/nerf/nerf_scene_model.h"

namespace fieldscope {

class NerfSceneSource {
 public:
  explicit NerfSceneSource(std::shared_ptr<const NerfField> fitted) : config_(fitted->config), current_(std::move(fitted)) {}
  explicit NerfSceneSource(std::shared_ptr<NerfSceneModel> model) : config_(model->config()), model_(std::move(model)) {}

  bool generative() const { return model_ != nullptr; }
  const NerfConfig& config() const { return config_; }
  // The field of `seed` with `steps` DDIM steps (a fitted scene: itself), sampled unless it is the
  // current one. Called on the baker thread; the model samples one scene at a time.
  std::shared_ptr<const NerfField> fieldFor(uint64_t seed, int steps);
  // The field shown last (nullptr before a generative model's first sample).
  std::shared_ptr<const NerfField> current() const;

 private:
  const NerfConfig config_;
  std::shared_ptr<NerfSceneModel> model_;
  mutable std::mutex mutex_;                // guards current_, seed_, steps_
  std::mutex sampling_;                     // one sample at a time
  std::shared_ptr<const NerfField> current_;
  uint64_t seed_ = 0;
  int steps_ = 0;
};

}  // namespace fieldscope
