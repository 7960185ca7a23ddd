#pragma once
// SrView: a picture super-resolved in the 2D tile view (docs/architecture.md "The SR view") -- the
// Super-resolution panel (a continuous scale 1-16, Upscale, the output size, the model), the
// picture zoomed like an image sample with the implicit decoder decoding whatever the view needs,
// also far past the chosen scale; the compare divider (SR | bicubic or SR | the input's nearest
// pixels): two tile views of the same place, each composed into its side of the viewport by the
// compositor, with a handle the user drags; PNG export of the view, and of the whole picture at
// the chosen scale through the `upscale` job (progress, ETA, cancel, temporary file + rename).
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/domains/sr/cli/sr_model_file.h"
#include "app/views/tile2d_domain_view.h"

namespace fieldscope {

class SrField;

inline constexpr double kSrMinScale = 1.0, kSrMaxScale = 16.0;

enum class SrCompare { Off = 0, Bicubic = 1, Nearest = 2 };

struct SrPanelState {
  float scale = 4.f;  // the scale being edited
  bool applyRequested = false;
  int compare = int(SrCompare::Bicubic);
  float divider = 0.5f;  // the divider's place across the viewport (0..1)
};

class SrView final : public Tile2DDomainView {
 public:
  // picture may be null: the model was opened alone, and the panel asks for a picture.
  SrView(std::shared_ptr<LoadedSrModel> model, std::shared_ptr<SrPicture> picture, const ViewServices& services);
  ~SrView() override;

  std::string title() const override;
  void drawPanels(std::string& openFile) override;
  void input(const ViewportInput& in) override;
  void update(int width, int height, double now) override;
  void record(const FrameContext& frame) override;
  std::vector<VulkanWait> waits() const override;
  ViewProgress progress() const override;
  std::string status() const override;
  nlohmann::json saveState() const override;
  void restoreState(const nlohmann::json& state) override;
  std::vector<ExportKind> exports() const override;
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) override;

  SrPanelState& panel() { return panel_; }
  double shownScale() const { return shownScale_; }
  // Output pixels of the chosen scale per viewport pixel (below 1: zoomed past the chosen scale).
  double outputPixelsPerViewPixel() const;
  const std::shared_ptr<SrField>& field() const { return field_; }

 private:
  void apply(double scale);
  // `force`: make the compare side again even when its mode is unchanged (a new field).
  void showCompare(SrCompare compare, bool force = false);
  int dividerPixels() const;

  const ViewServices services_;
  std::shared_ptr<LoadedSrModel> model_;
  std::shared_ptr<SrPicture> picture_;
  std::shared_ptr<SrField> field_;
  double shownScale_ = 0;
  int64_t outW_ = 0, outH_ = 0;
  SrPanelState panel_;
  std::unique_ptr<Tile2DView> compare_;  // the right side of the divider
  SrCompare compareShown_ = SrCompare::Off;
  bool draggingDivider_ = false;
  double originX_ = 0, originY_ = 0;
  int width_ = 1, height_ = 1;
  std::thread exportThread_;
  std::shared_ptr<ExportProgress> exportProgress_;
};

void drawSrPanel(SrPanelState& st, const LoadedSrModel& model, const SrPicture* picture, double shownScale,
                 int64_t outW, int64_t outH, double outputPerViewPixel);
// The divider over the viewport (ImGui draw list, under the panels): a line and a handle, and
// which side is which.
void drawSrDivider(double originX, double originY, int width, int height, int dividerPx, const std::string& left,
                   const std::string& right);

}  // namespace fieldscope
