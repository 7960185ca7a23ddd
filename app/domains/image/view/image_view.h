#pragma once
// ImageView: samples of an image model in the 2D tile view -- the Sample panel (seed, dice,
// steps, eta, history, blend, animate, seed plane), the seed grid as a zoomable mosaic (a
// click opens a cell), PNG export with a sidecar, and its session state (the sample, the grid,
// the view). Recently shown samples keep their source, so going back shows their tiles and
// fields at once (docs/architecture.md "The image domain").
#include <deque>
#include <memory>
#include <utility>

#include "app/domain/domain_view.h"
#include "app/domains/image/grid_source.h"
#include "app/domains/image/view/sample_state.h"
#include "app/views/tile2d_view.h"

namespace fieldscope {

class ImageView final : public DomainView {
 public:
  ImageView(std::shared_ptr<LoadedModel> model, const ViewServices& services);
  ~ImageView() override;

  std::string title() const override;
  void drawPanels(std::string& openFile) override;
  void drawPerf() override { tile_.drawPerf(); }
  std::string memoryLine() const override { return tile_.memoryLine(); }
  void input(const ViewportInput& in) override;
  void update(int width, int height, double now) override;
  void record(const FrameContext& frame) override { tile_.record(frame); }
  std::vector<VulkanWait> waits() const override { return tile_.waits(); }
  bool animating() const override { return tile_.animating() || sample_.animate; }
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

  SampleState& sampleState() { return sample_; }
  Tile2DView& tiles() { return tile_; }

 private:
  void showSample(const SampleSpec& spec);
  void showGrid(uint64_t firstSeed);
  std::shared_ptr<FieldSource> sourceFor(const SampleSpec& spec);

  Tile2DView tile_;
  SampleState sample_;
  GridLayout gridLayout_;
  uint64_t gridFirstSeed_ = 0;
  double lastAnimateTime_ = 0;
  // Recently shown samples and their sources (their tiles and fields stay cached).
  static constexpr size_t kRecentSources = 8;
  std::deque<std::pair<SampleSpec, std::shared_ptr<FieldSource>>> recent_;
};

}  // namespace fieldscope
