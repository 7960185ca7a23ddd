#pragma once
// GuiApp: the viewer -- window, Vulkan, ImGui -- as a short loop over its parts: the active
// domain view (what is open: an image model's samples, the procedural field...), the app's
// panels, and the automation elements (docs/architecture.md "The app loop").
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/domain/domain_registry.h"
#include "app/domain/domain_view.h"
#include "app/gui/app_element.h"
#include "app/gui/document_loader.h"
#include "app/gui/session_autosave.h"
#include "app/gui_entry.h"
#include "app/panels/ui_state.h"
#include "render/context.h"
#include "render/imgui_layer.h"
#include "render/offscreen_image.h"
#include "render/presenter.h"
#include "render/window.h"

namespace fieldscope {

class GuiApp final : public AppHost {
 public:
  GuiApp(const GuiOptions& options, const DomainList& domains);
  ~GuiApp() override;
  // The frame loop; returns the process exit code.
  int run();

  // AppHost (for the elements).
  UiState& ui() override { return ui_; }
  DomainView* view() override { return view_.get(); }
  void setView(std::unique_ptr<DomainView> view) override;
  ViewServices& viewServices() override { return *services_; }
  const VulkanContext& context() const override { return *ctx_; }
  Window& window() override { return *window_; }
  VkExtent2D windowExtent() const override { return presenter_->extent(); }
  const char* presentPath() const override { return presenter_->presentPath(); }
  const ViewportRect& viewportRect() const override { return rect_; }
  int framesDrawn() const override { return frames_; }
  double now() const override;
  bool loading() const override { return loader_->busy() || loaded_.has_value(); }
  void exit(int code) override { exitCode_ = code; }

 private:
  int runLoop();
  void makeElements();
  void restore(const std::optional<Session>& session);
  // Routes `file` to its domain and starts loading it; the view swaps in when it has loaded.
  // fromUser: failures get the error dialog; else a status line (a session that cannot reopen).
  void open(const std::string& file, nlohmann::json state, bool fromUser);
  void takeLoadedDocument();
  void showProceduralField();
  void report(const std::string& title, const std::string& message, bool dialog);
  Session sessionNow() const;
  void saveSession(double now, bool exiting);
  void applySettings();
  void handleExport();
  void pollImport();  // File > Import DDMI checkpoint: starts the job, opens its result (import_job.h)
  void buildUi();
  // continuous: another frame follows at once (its present is deferred, Presenter::end).
  bool renderFrame(bool still, bool continuous, std::vector<uint8_t>* capture);
  void updateFrameStats(double dtMs, bool followed);  // followed: no wait for events before it

  GuiOptions options_;
  std::unique_ptr<ComputeOptions> compute_;  // --device, --precision: passed to views and loads
  std::unique_ptr<Window> window_;
  std::unique_ptr<VulkanContext> ctx_;
  std::unique_ptr<Presenter> presenter_;
  std::unique_ptr<ImGuiLayer> imgui_;
  std::unique_ptr<OffscreenImage> viewportImage_;
  std::unique_ptr<ViewServices> services_;
  DomainRegistry domains_;
  std::unique_ptr<DocumentLoader> loader_;
  std::optional<DocumentLoader::Result> loaded_;  // waiting for a running export to end
  std::unique_ptr<DomainView> view_;
  std::string viewDomain_, viewFile_;  // what the view shows ("" for the procedural field)
  std::vector<std::unique_ptr<AppElement>> elements_;
  UiState ui_;
  ViewportRect rect_;
  std::string iniPath_;
  std::unique_ptr<SessionAutosave> session_;  // null: --no-session
  bool layoutDone_ = false;
  int laidOutWidth_ = 0, laidOutHeight_ = 0;
  int frames_ = 0;
  std::optional<int> exitCode_;
};

}  // namespace fieldscope
