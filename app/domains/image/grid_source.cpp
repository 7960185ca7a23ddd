#include "app/domains/image/grid_source.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

#include "app/gui/pixel_view.h"
#include "model/image/image_model.h"

namespace fieldscope {

std::optional<int> GridLayout::cellAt(double x, double y) const {
  if (x < 0 || y < 0 || x >= 1 || y >= 1) return std::nullopt;
  const double cx = x * cols, cy = y * rows;
  const int i = int(cx), j = int(cy);
  const double fx = cx - i, fy = cy - j;
  if (fx < gap || fx > 1 - gap || fy < gap || fy > 1 - gap) return std::nullopt;
  return j * cols + i;
}

namespace {
class GridSource final : public FieldSource {
 public:
  GridSource(std::shared_ptr<LoadedModel> m, uint64_t first, int steps, float eta, GridLayout l)
      : model_(std::move(m)), first_(first), steps_(steps), eta_(eta), layout_(l), fields_(size_t(l.cols) * l.rows),
        rowReady_(size_t(l.rows), false) {}

  std::string name() const override {
    return model_->describe() + " - seed grid " + std::to_string(first_) + ".." +
           std::to_string(first_ + layout_.cols * layout_.rows - 1);
  }
  bool bounded() const override { return true; }

  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    auto view = pixelView(out, W, H);
    for (int c = 0; c < 4; ++c) view.select(2, c).fill_(kOutsideRgba[c]);  // gaps, then each sample on top
    const double dx = (r.x1 - r.x0) / W, dy = (r.y1 - r.y0) / H;
    for (int j = 0; j < layout_.rows; ++j) {
      const double cy0 = (j + layout_.gap) / layout_.rows, cy1 = (j + 1 - layout_.gap) / layout_.rows;
      const auto [i0, i1] = pixelRangeInside(cy0, cy1, r.y0, dy, H);
      if (i1 <= i0) continue;
      for (int i = 0; i < layout_.cols; ++i) {
        const double cx0 = (i + layout_.gap) / layout_.cols, cx1 = (i + 1 - layout_.gap) / layout_.cols;
        const auto [k0, k1] = pixelRangeInside(cx0, cx1, r.x0, dx, W);
        if (k1 <= k0) continue;
        ImageFields& f = fields(j, i);
        // The sub-rectangle's pixel centres, in the sample's own [0,1]^2.
        const double sx0 = (r.x0 + k0 * dx - cx0) / (cx1 - cx0), sx1 = (r.x0 + k1 * dx - cx0) / (cx1 - cx0);
        const double sy0 = (r.y0 + i0 * dy - cy0) / (cy1 - cy0), sy1 = (r.y0 + i1 * dy - cy0) / (cy1 - cy0);
        model_->model->decodeRegion(f, sx0, sy0, sx1, sy1, k1 - k0, i1 - i0,
                                    view.slice(0, i0, i1).slice(1, k0, k1));
      }
    }
  }

 private:
  ImageFields& fields(int row, int col) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!rowReady_[row]) {
      std::vector<uint64_t> seeds;
      for (int i = 0; i < layout_.cols; ++i) seeds.push_back(first_ + uint64_t(row * layout_.cols + i));
      torch::Tensor latents = model_->model->sampleLatents(seeds, steps_, eta_);
      for (int i = 0; i < layout_.cols; ++i)
        fields_[size_t(row) * layout_.cols + i] = model_->model->makeFields(latents.narrow(0, i, 1));
      rowReady_[row] = true;
    }
    return fields_[size_t(row) * layout_.cols + col];
  }

  std::shared_ptr<LoadedModel> model_;
  uint64_t first_;
  int steps_;
  float eta_;
  GridLayout layout_;
  std::mutex mutex_;
  std::vector<ImageFields> fields_;
  std::vector<bool> rowReady_;
};
}  // namespace

std::shared_ptr<FieldSource> makeGridSource(std::shared_ptr<LoadedModel> model, uint64_t firstSeed, int steps,
                                            float eta, GridLayout layout) {
  return std::make_shared<GridSource>(std::move(model), firstSeed, steps, eta, layout);
}

}  // namespace fieldscope
