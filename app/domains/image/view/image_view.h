#pragma once
// ImageView: samples of an image model in the 2D tile view -- the Sample panel (seed, dice,
// steps, eta, history, blend, animate, seed plane), the seed grid as a zoomable mosaic (a
// click opens a cell), PNG export with a sidecar, and its session state (the sample, the grid,
// the view). Recently shown samples keep their source, so going back shows their tiles and
// fields at once (docs/architecture.md "The image domain").
#include <deque>
#include <memory>
#include <utility>

#include "app/domains/image/grid_source.h"
#include "app/domains/image/view/sample_state.h"
#include "app/views/tile2d_domain_view.h"

namespace fieldscope {

class ImageView final : public Tile2DDomainView {
 public:
  ImageView(std::shared_ptr<LoadedModel> model, const ViewServices& services);
  ~ImageView() override;

  std::string title() const override;
  void drawPanels(std::string& openFile) override;
  void input(const ViewportInput& in) override;
  void update(int width, int height, double now) override;
  bool animating() const override { return tile_.animating() || sample_.animate; }
  nlohmann::json saveState() const override;
  void restoreState(const nlohmann::json& state) override;
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) override;

  SampleState& sampleState() { return sample_; }

 private:
  void showSample(const SampleSpec& spec);
  void showGrid(uint64_t firstSeed);
  std::shared_ptr<FieldSource> sourceFor(const SampleSpec& spec);

  SampleState sample_;
  GridLayout gridLayout_;
  int viewWidth_ = 0, viewHeight_ = 0;  // the viewport's last size (for the copied command line)
  double viewOriginX_ = 0, viewOriginY_ = 0;  // its top-left on screen (the grid's seed labels)
  void drawGridLabels() const;
  uint64_t gridFirstSeed_ = 0;
  SampleSpec gridSpec_;  // what the seed grid was made with (steps, eta, group, guidance)
  double lastAnimateTime_ = 0;
  // Recently shown samples and their sources (their tiles and fields stay cached).
  static constexpr size_t kRecentSources = 8;
  std::deque<std::pair<SampleSpec, std::shared_ptr<FieldSource>>> recent_;
};

}  // namespace fieldscope
