#include "app/domains/shape/shape_session.h"

#include <torch/torch.h>

#include <algorithm>

#include "model/geometry/obj_reader.h"
#include "model/shape_data/shape_samples.h"

namespace fieldscope {

torch::Tensor meshSurfacePoints(const std::filesystem::path& obj, int count, uint64_t seed) {
  ObjReadOptions read;
  read.normaliseToUnitCube = true;  // the frame the model was trained in
  const ObjReadResult mesh = readObj(obj, read);
  ShapeSampleOptions s;
  s.surfacePoints = count;
  s.queryPoints = 1;  // only the surface points are used; the label is never read
  auto record = sampleShape(
      mesh.mesh,
      [](std::span<const float>, std::span<std::uint8_t> labels) {
        std::fill(labels.begin(), labels.end(), 0);
        return true;
      },
      s, seed);
  if (!record) throw std::runtime_error("sampling '" + obj.string() + "' was cancelled");
  return torch::from_blob(record->surface.data(), {int64_t(record->surfaceCount()), 3}, torch::kFloat32).clone();
}

std::shared_ptr<const TriplaneFields> ShapeSession::fields(const ShapeSpec& spec, const std::atomic<bool>* cancel,
                                                           const std::function<void(float)>& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  return fieldsLocked(spec, cancel, progress);
}

std::shared_ptr<const TriplaneFields> ShapeSession::fieldsLocked(const ShapeSpec& spec, const std::atomic<bool>* cancel,
                                                                 const std::function<void(float)>& progress) {
  for (auto it = cache_.begin(); it != cache_.end(); ++it)
    if (it->first == spec) {
      auto f = it->second;
      std::rotate(it, it + 1, cache_.end());  // most recently used last
      return f;
    }
  torch::Tensor latent;
  if (spec.kind == ShapeSpec::Kind::Encoded) {
    latent = model_->encode(meshSurfacePoints(spec.mesh, model_->pointCount(), 0));
  } else {
    struct Cancelled {};
    model_->setSamplerProgress([&](int done, int total) {
      if (progress) progress(float(done) / std::max(1, total));
      if (cancel && cancel->load()) throw Cancelled{};
    });
    try {
      latent = spec.kind == ShapeSpec::Kind::Seed ? model_->sampleLatent(spec.seed, spec.steps)
                                                  : model_->sampleLatentBlend(spec.seed, spec.seedB, spec.t, spec.steps);
    } catch (const Cancelled&) {
      model_->setSamplerProgress({});
      return nullptr;
    }
    model_->setSamplerProgress({});
  }
  auto f = std::make_shared<const TriplaneFields>(model_->makeFields(latent));
  cache_.emplace_back(spec, f);
  if (cache_.size() > 8) cache_.erase(cache_.begin());
  return f;
}

bool ShapeSession::bake(const ShapeSpec& spec, int n, torch::Tensor out, const std::atomic<bool>& cancel,
                        std::atomic<float>& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto f = fieldsLocked(spec, &cancel, [&](float p) { progress = 0.3f * p; });
  if (!f) return false;
  BakeOptions o;
  o.cancel = &cancel;
  o.progress = [&](double p) { progress = 0.3f + 0.7f * float(p); };
  return model_->bake(*f, n, std::move(out), o);
}

}  // namespace fieldscope
