#include "app/domains/image/grid_source.h"

#include <torch/torch.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "model/image/image_model.h"

namespace fieldscope {

namespace {
class GridSource final : public FieldSource {
 public:
  GridSource(std::shared_ptr<LoadedModel> m, uint64_t first, const SampleSpec& spec, GridLayout l)
      : model_(std::move(m)), first_(first), spec_(spec), layout_(l), fields_(size_t(l.cols) * l.rows),
        rowReady_(size_t(l.rows), false) {}

  std::string name() const override {
    return model_->describe() + " - seed grid " + std::to_string(first_) + ".." +
           std::to_string(first_ + layout_.cols * layout_.rows - 1) + guidanceNote(*model_->model, spec_);
  }
  bool bounded() const override { return true; }

  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    decodeMosaic(layout_, r, W, H, out,
                 [&](int row, int col, double x0, double y0, double x1, double y1, int w, int h, torch::Tensor px) {
                   model_->model->decodeRegion(fields(row, col), x0, y0, x1, y1, w, h, px);
                 });
  }

 private:
  ImageFields& fields(int row, int col) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!rowReady_[row]) {
      std::vector<uint64_t> seeds;
      for (int i = 0; i < layout_.cols; ++i) seeds.push_back(first_ + uint64_t(row * layout_.cols + i));
      torch::Tensor latents =
          model_->model->sampleLatents(seeds, spec_.steps, spec_.eta, classGuidanceOf(*model_->model, spec_));
      for (int i = 0; i < layout_.cols; ++i)
        fields_[size_t(row) * layout_.cols + i] = model_->model->makeFields(latents.narrow(0, i, 1));
      rowReady_[row] = true;
    }
    return fields_[size_t(row) * layout_.cols + col];
  }

  std::shared_ptr<LoadedModel> model_;
  uint64_t first_;
  SampleSpec spec_;
  GridLayout layout_;
  std::mutex mutex_;
  std::vector<ImageFields> fields_;
  std::vector<bool> rowReady_;
};
}  // namespace

std::shared_ptr<FieldSource> makeGridSource(std::shared_ptr<LoadedModel> model, uint64_t firstSeed, const SampleSpec& spec,
                                            GridLayout layout) {
  return std::make_shared<GridSource>(std::move(model), firstSeed, spec, layout);
}

}  // namespace fieldscope
