#include "app/gui/procedural_source.h"

#include <torch/torch.h>

#include "app/gui/pixel_view.h"
#include "model/procedural/procedural_field.h"

namespace fieldscope {
namespace {
class ProceduralSource final : public FieldSource {
 public:
  std::string name() const override { return "Procedural field (multi-octave)"; }
  bool bounded() const override { return false; }
  void decodeRegion(const Region& r, int W, int H, const PixelTarget& out) override {
    auto view = pixelView(out, W, H);
    proceduralFieldRegion(r.x0, r.y0, r.x1, r.y1, W, H, view);
  }
};
}  // namespace

std::shared_ptr<FieldSource> makeProceduralSource() { return std::make_shared<ProceduralSource>(); }
}  // namespace fieldscope
