#include "app/domains/video/video_grid_source.h"

#include <torch/torch.h>

#include <string>
#include <vector>

#include "app/domains/video/playhead.h"
#include "app/gui/sampled_once.h"
#include "model/video/video_model.h"

namespace fieldscope {

namespace {
class VideoGridSource final : public FieldSource {
 public:
  VideoGridSource(std::shared_ptr<LoadedVideoModel> m, uint64_t first, int steps, GridLayout l)
      : model_(std::move(m)), first_(first), steps_(steps), layout_(l), rows_(size_t(l.rows)) {}

  std::string name() const override {
    return model_->describe() + " - clip grid " + std::to_string(first_) + ".." +
           std::to_string(first_ + uint64_t(layout_.cols * layout_.rows) - 1);
  }
  bool bounded() const override { return true; }
  std::string progressNote() const override {
    for (size_t j = 0; j < rows_.size(); ++j)
      if (auto note = rows_[j].progressNote(); !note.empty())
        return note + " (clips, row " + std::to_string(j + 1) + " of " + std::to_string(rows_.size()) + ")";
    return {};
  }

  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override { decodeRegionAt(0, r, W, H, out); }
  void decodeRegionAt(int64_t time, const Region& r, int W, int H, const PixelTarget& out) override {
    VideoModel& m = *model_->model;
    const double t = Playhead::keyTime(time, m.frames());
    decodeMosaic(layout_, r, W, H, out,
                 [&](int row, int col, double x0, double y0, double x1, double y1, int w, int h, torch::Tensor px) {
                   const auto rgb = m.decodeFrame(fields(row, col), t, w, h, {x0, y0, x1, y1});
                   px.narrow(2, 0, 3).copy_((rgb * 255).round().to(torch::kUInt8).to(px.device()));
                   px.select(2, 3).fill_(255);
                 });
  }

 private:
  // The clips of one grid row, sampled together at the first decode that meets them and kept.
  const VideoFields& fields(int row, int col) {
    VideoModel& m = *model_->model;
    const auto& clips = rows_[size_t(row)].get(m, steps_, [&] {
      std::vector<uint64_t> seeds;
      for (int i = 0; i < layout_.cols; ++i) seeds.push_back(first_ + uint64_t(row * layout_.cols + i));
      const torch::Tensor latents = m.sampleLatents(seeds, steps_);
      std::vector<VideoFields> f;
      for (int i = 0; i < layout_.cols; ++i) f.push_back(m.makeFields(latents.narrow(0, i, 1)));
      return f;
    });
    return clips[size_t(col)];
  }

  std::shared_ptr<LoadedVideoModel> model_;
  uint64_t first_;
  int steps_;
  GridLayout layout_;
  std::vector<SampledOnce<std::vector<VideoFields>>> rows_;
};
}  // namespace

std::shared_ptr<FieldSource> makeVideoGridSource(std::shared_ptr<LoadedVideoModel> model, uint64_t firstSeed, int steps,
                                                 GridLayout layout) {
  return std::make_shared<VideoGridSource>(std::move(model), firstSeed, steps, layout);
}

}  // namespace fieldscope
