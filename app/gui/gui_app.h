#pragma once
// GuiApp: the viewer -- window, Vulkan, ImGui panels, the 2D pyramid view and its frame loop.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/grid_source.h"
#include "app/gui/input_script.h"
#include "app/gui/pyramid_view.h"
#include "app/gui/session_autosave.h"
#include "app/gui_entry.h"
#include "app/panels/ui_state.h"
#include "render/compositor.h"
#include "render/context.h"
#include "render/imgui_layer.h"
#include "render/offscreen_image.h"
#include "render/presenter.h"
#include "render/window.h"

namespace fieldscope {

class GuiApp {
 public:
  explicit GuiApp(const GuiOptions& options);
  ~GuiApp();
  // The frame loop; returns the process exit code.
  int run();

 private:
  struct BenchRecorder;
  int runLoop();
  void buildUi(ViewportRect& rect);
  void handleDroppedFiles();
  // On failure: the error dialog, or (error != nullptr) only the message.
  bool openModel(const std::string& path, std::string* error = nullptr);
  void restore(const std::optional<Session>& session);
  Session sessionNow() const;
  void saveSession(double now, bool exiting);
  void applySettings();
  void resetView();
  // Scripted GUI actions (--script export:...); returns false once the run should end.
  bool scriptedExportGoesOn(int& exitCode);
  void setSource(std::shared_ptr<FieldSource> source);
  void showSample(const SampleSpec& spec);
  void handleSampleRequests(double now);
  void handleExport();
  void applyInitialView();
  bool renderFrame(const ViewportRect& rect, bool still, std::vector<uint8_t>* capture);
  int finishPatternTest(const std::vector<uint8_t>& screen, const ViewportRect& rect);
  void updateFrameStats(double dtMs);

  GuiOptions options_;
  std::unique_ptr<Window> window_;
  std::unique_ptr<VulkanContext> ctx_;
  std::unique_ptr<Presenter> presenter_;
  std::unique_ptr<ImGuiLayer> imgui_;
  std::unique_ptr<PyramidView> pyramid_;
  std::unique_ptr<Compositor> compositor_;
  std::unique_ptr<OffscreenImage> viewportImage_;
  std::unique_ptr<InputScript> script_;
  std::unique_ptr<BenchRecorder> bench_;
  UiState ui_;
  std::string iniPath_;
  GridLayout gridLayout_;
  std::shared_ptr<FieldSource> currentSource_;
  uint64_t gridFirstSeed_ = 0;
  double lastAnimateTime_ = 0;
  std::unique_ptr<SessionAutosave> session_;  // null: --no-session
  std::optional<std::array<double, 3>> initialView_;  // cx, cy, zoom: --view, else the session's
  bool layoutDone_ = false;
  int framesAfterExport_ = -1;  // scripted export: frames drawn since it finished
};

}  // namespace fieldscope
