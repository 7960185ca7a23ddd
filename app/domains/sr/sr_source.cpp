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

}  // namespace

std::shared_ptr<FieldSource> makeSrSource(std::shared_ptr<SrField> field, SrLook look, std::string name) {
  return std::make_shared<SrSource>(std::move(field), look, std::move(name));
}

}  // namespace fieldscope
