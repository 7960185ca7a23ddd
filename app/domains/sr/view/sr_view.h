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
#include "app/domains/sr/view/sr_sampler.h"
#include "app/views/tile2d_domain_view.h"

namespace fieldscope {

class SrField;
class SrSampler;

inline constexpr double kSrMinScale = 1.0, kSrMaxScale = 16.0;

enum class SrCompare { Off = 0, Bicubic = 1, Nearest = 2, Sample = 3 };

struct SrPanelState {
  float scale = 4.f;  // the scale being edited
  bool applyRequested = false;
  int compare = int(SrCompare::Bicubic);
  float divider = 0.5f;  // the divider's place across the viewport (0..1)
  // The diffusion stage (models that have one).
  int steps = 50;
  int seed = 0;
  int moreCount = 4;
  bool sampleRequested = false;  // Upscale: the diffusion sample of `seed` at the chosen scale
  bool moreRequested = false;    // sample seeds seed .. seed+moreCount-1 and show the strip
  bool cancelRequested = false;
  int shown = -1;                // the sample shown (index into the samples), -1: the decoder alone
  int compareSample = -1;        // the other side of "sample A | sample B", -1: the decoder alone
  bool strip = false;            // the sample strip instead of one picture
};

// What the panel lists of the diffusion samples.
struct SrSamplesInfo {
  std::vector<uint64_t> seeds;   // finished, in the order of the view's list
  std::vector<double> seconds;
  std::string note;              // the sampler's progress or error
  bool busy = false;
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
  void collectSamples();
  void retarget();     // a new output size or step count: the samples start over
  void showPicture();  // the main side: the strip, the shown sample or the decoder alone
  SrSamplesInfo samplesInfo() const;
  // `force`: make the compare side again even when its mode is unchanged (a new field).
  void showCompare(SrCompare compare, bool force = false);
  int dividerPixels() const;

  const ViewServices services_;
  std::shared_ptr<LoadedSrModel> model_;
  std::shared_ptr<SrPicture> picture_;
  std::shared_ptr<SrField> field_;  // the decoder alone at the chosen size
  std::unique_ptr<SrSampler> sampler_;
  std::vector<SrSample> samples_;   // finished diffusion samples at the chosen size
  int shownSource_ = -2;            // what the main side shows now (-2 nothing yet, -3 the strip)
  size_t stripSize_ = 0;
  int64_t targetW_ = 0, targetH_ = 0;
  int targetSteps_ = 0;
  int64_t pendingCompareSeed_ = -1;  // a restored "sample B" that is still being sampled
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
                 int64_t outW, int64_t outH, double outputPerViewPixel, const SrSamplesInfo& samples);
// The divider over the viewport (ImGui draw list, under the panels): a line and a handle, and
// which side is which.
void drawSrDivider(double originX, double originY, int width, int height, int dividerPx, const std::string& left,
                   const std::string& right);

}  // namespace fieldscope
