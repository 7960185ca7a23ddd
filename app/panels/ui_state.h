#pragma once
// What the panels read and change: the view, dialogs, and the numbers the status bar and
// perf panel show. Owned by GuiApp; panels are free functions over it (one file each).
#include <deque>
#include <string>
#include <vector>

#include "app/domain/domain_view.h"
#include "app/gui/export_job.h"
#include "app/gui/frame_rate.h"
#include "app/gui/import_job.h"
#include "app/panels/file_browser.h"
#include "app/gui/session.h"

namespace fieldscope {

struct ViewportRect {
  int x = 0, y = 0, width = 1, height = 1;
  bool hovered = false;
  double mouseX = 0, mouseY = 0;  // relative to the viewport
};

// File > Export: the dialog's fields and the running export (the view does the work).
struct ExportState {
  bool dialogRequested = false;
  bool startRequested = false;
  ExportKind kind{"png", "PNG image", ".png"};  // what the open dialog exports
  std::vector<ExportKind> available;            // the current view's exports()
  double aspect = 1.0;                          // the view's height / width
  char path[1024] = "fieldscope-export.png";
  std::string checkedPath, pathProblem;  // the dialog's check of `path` (whyNotWritable)
  bool pathExists = false;               // Export would replace a file: the button says so
  bool wholePicture = true;              // the whole picture (kind.pictureAspect > 0), else the view
  std::string browserSynced;             // the folder the path and the file browser last agreed on
  int width = 0, height = 0;  // 0: the viewport's size
  std::shared_ptr<ExportProgress> running;
  // Export pressed on an existing file: "Replace file?" asks before anything is started.
  bool confirmingReplace = false;
  int confirmFrames = 0;  // frames the question has been open (the key that opened it is not its answer)
  int replaceDeclined = 0;  // times the user answered Cancel (the file was kept)
  // Scripted input (tests): typed into the open dialog, then its Export button pressed, then the
  // Replace question answered (1: Replace, 2: Cancel).
  int typedWidth = 0;
  std::string typedPath;
  bool pressExport = false;
  int answerReplace = 0;
  // The last finished export.
  int finished = 0;
  bool lastOk = false;
  std::string lastMessage;
};

// File > Import DDMI checkpoint: the dialog's fields and the running import (import_job.h).
struct ImportState {
  bool dialogRequested = false, startRequested = false, closeRequested = false;
  char vae[1024] = "", ldm[1024] = "", config[1024] = "", out[1024] = "imported-ddmi.fsm";
  std::shared_ptr<ImportJob> running;
  std::string lastMessage;  // the last import's result or error, shown in the dialog
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
  ViewportInput input;           // this frame's viewport input, for the active view
  double now = 0;                // this frame's time, seconds (glfwGetTime)
  double lastInputTime = -1e9;   // seconds (glfwGetTime)
  std::string statusNote;        // the app's last message ("wrote x.png", "session: ...")
  std::string viewStatus;        // the active view's status line (errors included)
  std::string loadingLine;       // non-empty while a file loads ("loading x.fsm... 1.2 s")
  DomainView* activeView = nullptr;  // for the perf panel

  // Dialogs and windows.
  bool showAbout = false;
  bool showControls = false;  // Help > Controls
  bool showPerf = false;
  bool openModelRequested = false;
  bool testPatternRequested = false;  // View > Test pattern: the procedural field
  std::vector<std::string> recentFiles, recentFolders;  // newest first (kept in the session)
  FileBrowserState openBrowser, exportBrowser;         // the Open and Export dialogs' browsers
  std::string openModelPath;       // set by the dialog or a drop: GuiApp opens it
  char openModelInput[1024] = "assets/models/emoji-image.fsm";
  std::string errorTitle, errorMessage;  // non-empty: the error dialog is open
  bool quitRequested = false;
  ExportState exporting;
  ImportState importing;
  SettingsState settings;

  // Shown in the status bar / perf panel / About.
  std::string deviceName, vulkanApi, backendName, sourceName;
  std::string torchVersion, imguiVersion;
  FrameRate frameRate;  // of the frames that followed one another: the status bar's rate or "at rest"
  std::deque<float> frameHistory;  // ms, newest last

  void showError(std::string title, std::string message) {
    errorTitle = std::move(title);
    errorMessage = std::move(message);
  }
};

void drawMenuBar(UiState& s);
float drawStatusBar(UiState& s);  // returns its height
// Fills s.input with this frame's viewport input (wheel, drag, click, keys).
// `right`: the width of the docked side panel (side_panel.h) the viewport leaves free.
ViewportRect drawViewportPanel(UiState& s, float top, float bottom, float right = 0.f);
void drawAboutDialog(UiState& s);
void drawControlsDialog(UiState& s);  // Help > Controls: the viewport's mouse and keys
void drawErrorDialog(UiState& s);
void drawOpenModelDialog(UiState& s);
void drawPerfPanel(UiState& s);
void drawExportDialog(UiState& s);
void drawSettingsPanel(UiState& s);
void drawImportDialog(UiState& s);

}  // namespace fieldscope
