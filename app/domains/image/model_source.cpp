#include "app/domains/image/model_source.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/domains/image/seed_plane.h"
#include "app/gui/bounded_decode.h"
#include "app/gui/sampled_once.h"
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
    return n + guidanceNote(*model_->model, spec_);
  }
  bool bounded() const override { return true; }
  std::string progressNote() const override { return sampled_.progressNote(); }

  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    // Only the pixels on the image [0,1]^2 are decoded; the rest shows "outside".
    decodeBoundedRegion(r, W, H, out, [&](double x0, double y0, double x1, double y1, int w, int h, torch::Tensor px) {
      model_->model->decodeRegion(fields(), x0, y0, x1, y1, w, h, px);
    });
  }

 private:
  const ImageFields& fields() {
    ImageModel& m = *model_->model;
    return sampled_.get(m, spec_.steps, [&] {
      const ClassGuidance guide = classGuidanceOf(m, spec_);
      torch::Tensor latent;
      if (spec_.plane) {
        const SeedMix mix = seedPlaneMix(spec_.planeX, spec_.planeY);
        latent = m.sampleLatentMix({mix.seeds.begin(), mix.seeds.end()}, {mix.weights.begin(), mix.weights.end()},
                                   spec_.steps, spec_.eta, guide);
      } else if (spec_.blend) {
        latent = m.sampleLatentBlend(spec_.seed, spec_.seedB, spec_.t, spec_.steps, spec_.eta, guide);
      } else {
        latent = m.sampleLatent(spec_.seed, spec_.steps, spec_.eta, guide);
      }
      return m.makeFields(latent);
    });
  }

  std::shared_ptr<LoadedModel> model_;
  SampleSpec spec_;
  SampledOnce<ImageFields> sampled_;
};
}  // namespace

ClassGuidance classGuidanceOf(const ImageModel& model, const SampleSpec& spec) {
  const DiffusionClasses& c = model.classes();
  if (c.empty()) return {};
  ClassGuidance g;
  g.classIndex = validClassIndex(c, spec.group) ? spec.group : kAnyClass;
  g.scale = spec.guidance < 0 ? c.defaultGuidance : spec.guidance;
  return g;
}

std::string guidanceNote(const ImageModel& model, const SampleSpec& spec) {
  if (model.classes().empty()) return "";
  const ClassGuidance g = classGuidanceOf(model, spec);
  if (!g.active()) return " - unguided";
  char buf[48];
  std::snprintf(buf, sizeof buf, ", guidance %.1f", g.scale);
  return " - " + (g.classIndex == kAnyClass ? std::string("any group") : className(model.classes(), g.classIndex)) + buf;
}

std::shared_ptr<FieldSource> makeSampleSource(std::shared_ptr<LoadedModel> model, const SampleSpec& spec) {
  return std::make_shared<SampleSource>(std::move(model), spec);
}


}  // namespace fieldscope
