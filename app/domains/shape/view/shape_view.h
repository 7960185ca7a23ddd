#pragma once
// ShapeView: the shape domain's view (docs/architecture.md "The shape domain"). A sample (seed, blend
// of two seeds, or an encoded OBJ) is baked into the 3D view's grid on the baker thread -- first
// a quick 48^3 preview, then the chosen resolution -- and ray-marched every frame; the iso-level
// and clip plane never re-bake. A seed grid (3 x 3 samples) and an imported mesh beside its
// encoding are mosaics in one grid (ShapeSession::bake). The Shape panel: seed, steps, sample,
// seed grid, blend, history, import OBJ, export OBJ/PLY at a chosen resolution (progress, ETA,
// cancel), and the 3D view's controls.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/domains/shape/shape_session.h"
#include "app/domains/shape/shape_spec.h"
#include "app/gui/export_threads.h"
#include "app/views/grid_view3d_domain_view.h"

namespace fieldscope {

class ShapeView final : public GridView3DDomainView {
 public:
  ShapeView(std::shared_ptr<ShapeSession> session, const ViewServices& services);

  std::string title() const override;
  void drawPanels(std::string& openFile) override;
  void update(int width, int height, double now) override;
  std::string status() const override;
  ViewProgress progress() const override;
  std::string takeError() override;
  nlohmann::json saveState() const override;
  void restoreState(const nlohmann::json& state) override;
  std::vector<ExportKind> exports() const override;
  // "png": the view; "obj" / "ply": the mesh at request.width^3 (0: the view's resolution) at the
  // iso-level shown.
  std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) override;

  // Shows `spec` (pushes it on the history unless it is the current one).
  void show(const ShapeSpec& spec, bool addToHistory = true);
  const ShapeSpec& shown() const { return shown_; }

 private:
  void requestBake(int n);
  void drawSampleSection();
  void drawExportSection();
  void drawImportSection();

  std::shared_ptr<ShapeSession> session_;
  ShapeSpec shown_, edit_;
  std::vector<ShapeSpec> history_;
  int historyIndex_ = -1;
  int bakedPreviewFor_ = -1;  // the bake request whose full-resolution follow-up is pending
  bool fullPending_ = false;
  bool framed_ = false;
  static constexpr uint64_t kUnknown = ~uint64_t(0);
  uint64_t finishedAtLayout_ = 0;           // bakes published before the layout changed
  uint64_t swapsBeforeLayout_ = kUnknown;   // grids swapped in before the new layout's first one
  std::string error_;
  // Panel state.
  int exportResolution_ = 256;
  int exportFormat_ = 0;  // 0 OBJ, 1 PLY
  std::string exportPath_ = "shape.obj";
  std::string importPath_;
  ExportThreads exports_;  // cancelled and joined when the view goes
  std::string lastExportMessage_;
};

}  // namespace fieldscope
