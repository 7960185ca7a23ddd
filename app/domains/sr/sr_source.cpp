#include "app/domains/sr/sr_source.h"

#include <torch/torch.h>

#include <algorithm>

#include "app/gui/bounded_decode.h"
#include "model/sr/sr_field.h"

namespace fieldscope {

Region pictureRect(int64_t outW, int64_t outH) {
  const double side = double(std::max(outW, outH));
  const double w = double(outW) / side, h = double(outH) / side;
  return {0.5 - 0.5 * w, 0.5 - 0.5 * h, 0.5 + 0.5 * w, 0.5 + 0.5 * h};
}

namespace {

class SrSource final : public FieldSource {
 public:
  SrSource(std::shared_ptr<SrField> field, SrLook look, std::string name)
      : field_(std::move(field)), look_(look), name_(std::move(name)), rect_(pictureRect(field_->outWidth(), field_->outHeight())) {}

  std::string name() const override { return name_; }
  bool bounded() const override { return true; }

  void decodeRegion(const Region& region, int W, int H, const PixelTarget& out) override {
    const double perUnit = double(std::max(field_->outWidth(), field_->outHeight()));  // output pixels
    decodeInsidePicture(rect_, region, W, H, out, [&](double x0, double y0, double x1, double y1, int w, int h, torch::Tensor px) {
      // The block in the picture's output pixels.
      const double ox0 = (x0 - rect_.x0) * perUnit, oy0 = (y0 - rect_.y0) * perUnit;
      const double ox1 = (x1 - rect_.x0) * perUnit, oy1 = (y1 - rect_.y0) * perUnit;
      torch::Tensor rgb;
      switch (look_) {
        case SrLook::Super: rgb = field_->render(ox0, oy0, ox1, oy1, w, h); break;
        case SrLook::Bicubic: rgb = field_->bicubic(ox0, oy0, ox1, oy1, w, h); break;
        case SrLook::Nearest: rgb = field_->nearest(ox0, oy0, ox1, oy1, w, h); break;
      }
      const auto bytes = ((rgb[0].clamp(-1, 1) + 1) * 127.5).round().to(torch::kUInt8).permute({1, 2, 0});
      px.narrow(2, 0, 3).copy_(bytes.to(px.device()));
      px.select(2, 3).fill_(255);
    });
  }

 private:
  std::shared_ptr<SrField> field_;
  SrLook look_;
  std::string name_;
  Region rect_;
};

// The cells' fields, each drawn where its picture sits in its cell.
class SrStripSource final : public FieldSource {
 public:
  SrStripSource(std::vector<std::shared_ptr<SrField>> fields, std::string name)
      : fields_(std::move(fields)), name_(std::move(name)) {}

  std::string name() const override { return name_; }
  bool bounded() const override { return true; }

  void decodeRegion(const Region& region, int W, int H, const PixelTarget& out) override {
    const int n = int(fields_.size());
    const int64_t outW = fields_[0]->outWidth(), outH = fields_[0]->outHeight();
    const double perUnit = double(std::max(outW, outH)) * n;  // output pixels per field unit
    // The whole block first as "outside", then each cell's picture over it.
    fillOutside(out, W, H);
    for (int k = 0; k < n; ++k) {
      const Region rect = stripCell(n, outW, outH, k);
      if (rect.x1 <= region.x0 || rect.x0 >= region.x1 || rect.y1 <= region.y0 || rect.y0 >= region.y1) continue;
      decodeInsidePictureOnly(rect, region, W, H, out, [&](double x0, double y0, double x1, double y1, int w, int h, torch::Tensor px) {
        const torch::Tensor rgb = fields_[size_t(k)]->render((x0 - rect.x0) * perUnit, (y0 - rect.y0) * perUnit,
                                                             (x1 - rect.x0) * perUnit, (y1 - rect.y0) * perUnit, w, h);
        px.narrow(2, 0, 3).copy_(((rgb[0].clamp(-1, 1) + 1) * 127.5).round().to(torch::kUInt8).permute({1, 2, 0}));
        px.select(2, 3).fill_(255);
      });
    }
  }

 private:
  std::vector<std::shared_ptr<SrField>> fields_;
  std::string name_;
};

}  // namespace

Region stripCell(int count, int64_t outW, int64_t outH, int k) {
  const Region pic = pictureRect(outW, outH);  // in a unit square
  const double cell = 1.0 / std::max(1, count);
  // The picture fitted in a cell-wide square, centred vertically in the field.
  return {cell * (k + pic.x0), 0.5 + cell * (pic.y0 - 0.5), cell * (k + pic.x1), 0.5 + cell * (pic.y1 - 0.5)};
}

int stripCellAt(int count, int64_t outW, int64_t outH, double x, double y) {
  for (int k = 0; k < count; ++k) {
    const Region r = stripCell(count, outW, outH, k);
    if (x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1) return k;
  }
  return -1;
}

std::shared_ptr<FieldSource> makeSrStripSource(std::vector<std::shared_ptr<SrField>> fields, std::string name) {
  if (fields.empty()) throw std::invalid_argument("the sample strip needs at least one sample");
  return std::make_shared<SrStripSource>(std::move(fields), std::move(name));
}

std::shared_ptr<FieldSource> makeSrSource(std::shared_ptr<SrField> field, SrLook look, std::string name) {
  return std::make_shared<SrSource>(std::move(field), look, std::move(name));
}

}  // namespace fieldscope
