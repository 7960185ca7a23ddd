#pragma once
// The shape model as the viewer shares it between threads (docs/architecture.md "The shape domain"): the
// baker, the mesh export and the mesh import each lock it for their torch work; the latents of
// recent specs are kept so going back in the history, re-baking at another resolution or
// exporting never samples again.
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "app/domains/shape/shape_spec.h"
#include "model/shape/shape_model.h"

namespace fieldscope {

class ShapeSession {
 public:
  ShapeSession(std::shared_ptr<ShapeModel> model, std::filesystem::path path)
      : model_(std::move(model)), path_(std::move(path)) {}
  const std::filesystem::path& path() const { return path_; }
  bool canSample() const { return model_->canSample(); }
  const nlohmann::json& card() const { return model_->card(); }

  // The spec's fields (sampled or encoded on first use, then cached). `progress` gets 0..1 of the
  // sampling; returns nullptr when cancelled. Throws naming the mesh file or the model.
  std::shared_ptr<const TriplaneFields> fields(const ShapeSpec& spec, const std::atomic<bool>* cancel,
                                               const std::function<void(float)>& progress);
  // Bakes the spec's occupancy logits at n^3 into out; false when cancelled. A spec of several
  // shapes (ShapeSpec::cols/rows) is baked as their mosaic over a box max(cols, rows) times as
  // large, each shape in an (n / max(cols, rows))^3 cell.
  bool bake(const ShapeSpec& spec, int n, torch::Tensor out, const std::atomic<bool>& cancel,
            std::atomic<float>& progress);
  // The model, locked for the caller's torch work.
  template <class F>
  auto withModel(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    return f(*model_);
  }

 private:
  std::shared_ptr<const TriplaneFields> fieldsLocked(const ShapeSpec& spec, const std::atomic<bool>* cancel,
                                                     const std::function<void(float)>& progress);
  bool bakeCellLocked(const ShapeSpec& spec, int n, torch::Tensor out, const std::atomic<bool>& cancel,
                      const std::function<void(float)>& progress);
  std::mutex mutex_;
  std::shared_ptr<ShapeModel> model_;
  std::filesystem::path path_;
  std::vector<std::pair<ShapeSpec, std::shared_ptr<const TriplaneFields>>> cache_;  // newest last, at most 8
};

}  // namespace fieldscope
