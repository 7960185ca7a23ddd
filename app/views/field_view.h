#pragma once
// FieldView: a field that belongs to no model -- the procedural test field shown when nothing
// is open, or the self-test's pattern -- in the 2D tile view, with a small panel pointing at
// the shipped models. A DomainView like the others, so the app treats it the same way.
#include <memory>
#include <string>
#include <vector>

#include "app/domain/domain_view.h"
#include "app/views/tile2d_view.h"

namespace fieldscope {

class FieldView final : public DomainView {
 public:
  // hint: the panel's text ("" for no panel: the self-test).
  FieldView(std::shared_ptr<FieldSource> source, const ViewServices& services, std::string hint);

  std::string title() const override { return tile_.source()->name(); }
  void drawPanels(std::string& openFile) override;
  void drawPerf() override { tile_.drawPerf(); }
  std::string memoryLine() const override { return tile_.memoryLine(); }
  void input(const ViewportInput& in) override { tile_.input(in); }
  void update(int width, int height, double now) override { tile_.update(width, height, now); }
  void record(const FrameContext& frame) override { tile_.record(frame); }
  std::vector<VulkanWait> waits() const override { return tile_.waits(); }
  bool animating() const override { return tile_.animating(); }
  ViewProgress progress() const override { return tile_.progress(); }
  std::string status() const override;
  std::string takeError() override { return tile_.takeError(); }
  nlohmann::json saveState() const override;
  void restoreState(const nlohmann::json& state) override;
  std::vector<ExportKind> exports() const override { return {{"png", "PNG image", ".png"}}; }
  double exportAspect() const override { return tile_.aspect(); }
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) override;
  void setTileCacheSlots(int slots) override { tile_.setTileCacheSlots(slots); }
  std::string backendName() const override { return tile_.backendName(); }

  Tile2DView& tiles() { return tile_; }

 private:
  Tile2DView tile_;
  std::string hint_;
  std::vector<std::string> shippedModels_;
};

}  // namespace fieldscope
