#include "app/domains/image/model_source.h"

#include <torch/torch.h>

#include <algorithm>

#include "app/gui/bounded_decode.h"
#include <cmath>
#include <cstdio>
#include <atomic>
#include <mutex>
#include <stdexcept>

#include "app/domains/image/seed_plane.h"
#include "model/image/image_model.h"

namespace fieldscope {


std::string LoadedModel::describe() const { return path.filename().string(); }

std::shared_ptr<LoadedModel> loadImageModel(const std::filesystem::path& path, const ComputeOptions& compute) {
  auto m = std::make_shared<LoadedModel>();
  m->path = path;
  m->model = std::shared_ptr<ImageModel>(ImageModel::load(path, compute));
  if (!m->model->canSample())
    throw std::runtime_error("'" + path.string() + "' holds an image VAE without a diffusion model: it cannot sample");
  return m;
}

namespace {
class SampleSource final : public FieldSource {
 public:
  SampleSource(std::shared_ptr<LoadedModel> model, SampleSpec spec) : model_(std::move(model)), spec_(spec) {}

  std::string name() const override {
    if (spec_.plane) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), " - seed plane (%.2f, %.2f)", spec_.planeX, spec_.planeY);
      return model_->describe() + buf;
    }
    std::string n = model_->describe() + " - seed " + std::to_string(spec_.seed);
    if (spec_.blend) n += " / " + std::to_string(spec_.seedB) + " at t=" + std::to_string(spec_.t).substr(0, 4);
    return n;
  }
  bool bounded() const override { return true; }
  std::string progressNote() const override {
    const int done = stepsDone_.load(), total = stepsTotal_.load();
    if (total <= 0 || done >= total) return {};
    return "sampling: DDIM step " + std::to_string(done) + "/" + std::to_string(total);
  }

  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    // Only the pixels on the image [0,1]^2 are decoded; the rest shows "outside".
    decodeBoundedRegion(r, W, H, out, [&](double x0, double y0, double x1, double y1, int w, int h, torch::Tensor px) {
      model_->model->decodeRegion(fields(), x0, y0, x1, y1, w, h, px);
    });
  }

 private:
  ImageFields& fields() {
    std::lock_guard<std::mutex> lock(mutex_);
    // A sample whose diffusion failed keeps its error: it is not sampled again per tile.
    if (!failure_.empty()) throw std::runtime_error(failure_);
    if (!ready_) try {
      ImageModel& m = *model_->model;
      stepsTotal_ = spec_.steps;
      m.setSamplerProgress([this](int done, int total) {
        stepsDone_ = done;
        stepsTotal_ = total;
      });
      // The model is shared by every sample of the view; the progress hook is this one's only
      // while it samples (all on the worker thread).
      struct Unhook {
        ImageModel& m;
        ~Unhook() { m.setSamplerProgress({}); }
      } unhook{m};
      torch::Tensor latent;
      if (spec_.plane) {
        const SeedMix mix = seedPlaneMix(spec_.planeX, spec_.planeY);
        latent = m.sampleLatentMix({mix.seeds.begin(), mix.seeds.end()}, {mix.weights.begin(), mix.weights.end()},
                                   spec_.steps, spec_.eta);
      } else if (spec_.blend) {
        latent = m.sampleLatentBlend(spec_.seed, spec_.seedB, spec_.t, spec_.steps, spec_.eta);
      } else {
        latent = m.sampleLatent(spec_.seed, spec_.steps, spec_.eta);
      }
      fields_ = m.makeFields(latent);
      ready_ = true;
    } catch (const std::exception& e) {
      failure_ = std::string("sampling failed: ") + e.what();
      throw std::runtime_error(failure_);
    }
    return fields_;
  }

  std::shared_ptr<LoadedModel> model_;
  SampleSpec spec_;
  std::mutex mutex_;
  bool ready_ = false;
  std::atomic<int> stepsDone_{0}, stepsTotal_{0};
  std::string failure_;
  ImageFields fields_;
};
}  // namespace

std::shared_ptr<FieldSource> makeSampleSource(std::shared_ptr<LoadedModel> model, const SampleSpec& spec) {
  return std::make_shared<SampleSource>(std::move(model), spec);
}


}  // namespace fieldscope
