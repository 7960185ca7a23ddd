#include "app/domains/nerf/view/nerf_scene_source.h"

namespace fieldscope {

std::shared_ptr<const NerfField> NerfSceneSource::fieldFor(uint64_t seed, int steps) {
  if (!model_) return current();
  std::lock_guard<std::mutex> one(sampling_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (current_ && seed_ == seed && steps_ == steps) return current_;
  }
  auto field = std::make_shared<const NerfField>(model_->sample(seed, steps));
  std::lock_guard<std::mutex> lock(mutex_);
  current_ = field;
  seed_ = seed;
  steps_ = steps;
  return field;
}

std::shared_ptr<const NerfField> NerfSceneSource::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

}  // namespace fieldscope
