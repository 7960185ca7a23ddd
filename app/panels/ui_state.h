#pragma once
// What the panels read and change: the view, dialogs, and the numbers the status bar and
// perf panel show. Owned by GuiApp; panels are free functions over it (one file each).
#include <deque>
#include <string>

#include "app/gui/export_job.h"
#include "app/gui/model_source.h"
#include "app/gui/pyramid_view.h"
#include "app/gui/session.h"
#include "render/view2d.h"
#include "render/zoom_animator.h"

namespace fieldscope {

struct ViewportRect {
  int x = 0, y = 0, width = 1, height = 1;
  bool hovered = false;
  double mouseX = 0, mouseY = 0;  // relative to the viewport
};

// The Sample panel's state: the model, what is shown, the history, blending.
struct SampleState {
  std::shared_ptr<LoadedModel> model;  // null: the procedural field
  SampleSpec edit;                     // the panel's widgets
  bool gridMode = false;               // the viewport shows the seed grid
  std::vector<SampleSpec> history;
  int historyIndex = -1;
  bool applyRequested = false;         // show `edit`
  bool gridRequested = false;          // show the grid starting at edit.seed
  bool animate = false;                // walk t from A to B, then on to the next seed
  float animateSpeed = 0.25f;          // t per second
  bool planeDragging = false;          // the seed plane's point is being dragged
  double planeOriginX = 0, planeOriginY = 0;  // the seed plane window's top-left lattice point
};

// File > Export PNG: the dialog's fields and the running export.
struct ExportState {
  bool dialogRequested = false;
  bool startRequested = false;
  char path[1024] = "fieldscope-export.png";
  int width = 0, height = 0;  // 0: the viewport's size
  std::shared_ptr<ExportProgress> running;
  // Scripted input (tests): typed into the open dialog, then its Export button pressed.
  int typedWidth = 0;
  std::string typedPath;
  bool pressExport = false;
  // The last finished export.
  int finished = 0;
  bool lastOk = false;
  std::string lastMessage;
};

// The Settings panel: the tile cache budget (kept in the session file).
struct SettingsState {
  bool show = false;
  int tileCacheMB = ViewerSettings::kDefaultTileCacheMB;      // in effect
  int editTileCacheMB = ViewerSettings::kDefaultTileCacheMB;  // the slider
  int maxTileCacheMB = ViewerSettings::kMaxTileCacheMB;       // what the device allows
  bool applyRequested = false;
  std::string sessionPath;  // empty: --no-session
};

struct UiState {
  View2D view;
  ZoomAnimator zoomAnimator;     // wheel / keyboard zoom: GuiApp advances it every frame
  double now = 0;                // this frame's time, seconds (glfwGetTime)
  bool viewChanged = true;       // set by input this frame
  double lastInputTime = -1e9;   // seconds (glfwGetTime)
  std::string statusNote;        // e.g. "zoom limit reached"

  // Dialogs and windows.
  bool showAbout = false;
  bool showPerf = false;
  bool openModelRequested = false;
  std::string openModelPath;       // set by the dialog or a drop: GuiApp opens it
  char openModelInput[1024] = "assets/models/emoji-image.fsm";
  std::string errorTitle, errorMessage;  // non-empty: the error dialog is open
  bool quitRequested = false;
  SampleState sample;
  ExportState exporting;
  SettingsState settings;
  std::vector<std::string> shippedModels;  // assets/models/*.fsm, for the Sample panel's picker
  bool clicked = false;                // a click (not a drag) in the viewport this frame
  double clickX = 0, clickY = 0;       // its field position

  // Shown in the status bar / perf panel / About.
  std::string deviceName, vulkanApi, backendName, sourceName;
  std::string torchVersion, imguiVersion;
  double fps = 0, frameMs = 0, composeGpuMs = -1;
  std::deque<float> frameHistory;  // ms, newest last
  PyramidStats pyramid;

  void showError(std::string title, std::string message) {
    errorTitle = std::move(title);
    errorMessage = std::move(message);
  }
};

void drawMenuBar(UiState& s);
float drawStatusBar(UiState& s);  // returns its height
ViewportRect drawViewportPanel(UiState& s, float top, float bottom);
void drawAboutDialog(UiState& s);
void drawErrorDialog(UiState& s);
void drawOpenModelDialog(UiState& s);
void drawPerfPanel(UiState& s);
void drawSamplePanel(UiState& s);
void drawExportDialog(UiState& s);
void drawSettingsPanel(UiState& s);
void drawSeedPlane(UiState& s);  // inside the Sample panel

}  // namespace fieldscope
