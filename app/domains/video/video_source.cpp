#include "app/domains/video/video_source.h"

#include <torch/torch.h>

#include <stdexcept>

#include "app/domains/video/playhead.h"
#include "app/gui/bounded_decode.h"
#include "model/video/video_model.h"

namespace fieldscope {

std::shared_ptr<LoadedVideoModel> loadVideoModel(const std::filesystem::path& path, const ComputeOptions& compute) {
  auto m = std::make_shared<LoadedVideoModel>();
  m->path = path;
  m->model = std::shared_ptr<VideoModel>(VideoModel::load(path, compute));
  if (!m->model->canSample())
    throw std::runtime_error("'" + path.string() + "' holds a video VAE without a diffusion model: it cannot sample");
  return m;
}

VideoSource::VideoSource(std::shared_ptr<LoadedVideoModel> model, VideoSampleSpec spec)
    : model_(std::move(model)), spec_(spec) {}

std::string VideoSource::name() const {
  std::string n = model_->describe() + " - seed " + std::to_string(spec_.seed);
  if (spec_.blend) n += " / " + std::to_string(spec_.seedB) + " at " + std::to_string(spec_.blendT).substr(0, 4);
  return n;
}

std::string VideoSource::progressNote() const { return sampled_.progressNote(); }

int VideoSource::frames() const { return model_->model->frames(); }

void VideoSource::decodeRegionAt(int64_t time, const Region& r, int W, int H, const PixelTarget& out) {
  VideoModel& m = *model_->model;
  const double t = Playhead::keyTime(time, m.frames());
  decodeBoundedRegion(r, W, H, out, [&](double x0, double y0, double x1, double y1, int w, int h, torch::Tensor px) {
    const auto rgb = m.decodeFrame(fields(), t, w, h, {x0, y0, x1, y1});
    px.narrow(2, 0, 3).copy_((rgb * 255).round().to(torch::kUInt8).to(px.device()));
    px.select(2, 3).fill_(255);
  });
}

torch::Tensor VideoSource::decodeFrame(double t, int width, int height) {
  return model_->model->decodeFrame(fields(), t, width, height);
}

const VideoFields& VideoSource::fields() {
  VideoModel& m = *model_->model;
  return sampled_.get(m, spec_.steps, [&] {
    const auto latent = spec_.blend ? m.sampleLatentBlend(spec_.seed, spec_.seedB, spec_.blendT, spec_.steps)
                                    : m.sampleLatent(spec_.seed, spec_.steps);
    return m.makeFields(latent);
  });
}

namespace {
class SourceAtTime final : public FieldSource {
 public:
  SourceAtTime(std::shared_ptr<FieldSource> inner, int64_t key) : inner_(std::move(inner)), key_(key) {}
  std::string name() const override { return inner_->name(); }
  bool bounded() const override { return true; }
  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    inner_->decodeRegionAt(key_, r, W, H, out);
  }

 private:
  std::shared_ptr<FieldSource> inner_;
  int64_t key_;
};
}  // namespace

std::shared_ptr<FieldSource> videoSourceAt(std::shared_ptr<FieldSource> inner, int64_t timeKey) {
  return std::make_shared<SourceAtTime>(std::move(inner), timeKey);
}

}  // namespace fieldscope
