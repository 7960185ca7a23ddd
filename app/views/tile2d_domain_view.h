#pragma once
// Tile2DDomainView: a DomainView drawn by a Tile2DView -- the forwarding every 2D domain view
// (image, SR, video; the procedural field) would otherwise write again. A 2D domain view
// derives from it and adds its panels, its state and its exports.
#include "app/domain/domain_view.h"
#include "app/views/tile2d_view.h"

namespace fieldscope {

class Tile2DDomainView : public DomainView {
 public:
  explicit Tile2DDomainView(const ViewServices& services) : tile_(services) {}

  void drawPerf() override { tile_.drawPerf(); }
  std::string memoryLine() const override { return tile_.memoryLine(); }
  void input(const ViewportInput& in) override { tile_.input(in); }
  void update(int width, int height, double now) override { tile_.update(width, height, now); }
  void record(const FrameContext& frame) override { tile_.record(frame); }
  std::vector<VulkanWait> waits() const override { return tile_.waits(); }
  bool animating() const override { return tile_.animating(); }
  bool settled() const override { return tile_.settled(); }
  ViewProgress progress() const override { return tile_.progress(); }
  std::string status() const override {
    return tile_.note().empty() ? tile_.status() : tile_.status() + "  |  " + tile_.note();
  }
  std::string takeError() override { return tile_.takeError(); }
  std::vector<ExportKind> exports() const override { return {{"png", "PNG image", ".png", false, 1.0}}; }
  double exportAspect() const override { return tile_.aspect(); }
  void setTileCacheSlots(int slots) override { tile_.setTileCacheSlots(slots); }
  std::string backendName() const override { return tile_.backendName(); }

  Tile2DView& tiles() { return tile_; }
  const Tile2DView& tiles() const { return tile_; }

 protected:
  Tile2DView tile_;
};

}  // namespace fieldscope
