#include "app/gui/automation/export_script_element.h"

#include <cstdio>

#include "app/panels/ui_state.h"
#include "render/context.h"

namespace fieldscope {

ExportScriptElement::ExportScriptElement(std::unique_ptr<InputScript> script, bool exitWhenDone)
    : script_(std::move(script)), exitWhenDone_(exitWhenDone) {}

void ExportScriptElement::beforeUi(AppHost& app) {
  if (app.loading()) return;  // the script starts once the model is on screen...
  // ...and the view shows it at full detail (a 3D view's first bake can take a while under
  // load; an export pressed before it exists fails). A view that never gets there still gets
  // its export pressed after kMaxWaitSeconds; that one then finishes or fails, never hangs.
  if (frame_ == 0 && !app.view()->progress().detailComplete) {
    if (waitStart_ < 0) waitStart_ = app.ui().now;
    if (app.ui().now - waitStart_ < kMaxWaitSeconds) return;
  }
  const ScriptStep step = script_->step(frame_++);
  ExportState& e = app.ui().exporting;
  if (step.openExport) e.dialogRequested = true;
  if (step.exportWidth > 0) e.typedWidth = step.exportWidth;
  if (!step.exportPath.empty()) e.typedPath = step.exportPath;
  if (step.pressExport) e.pressExport = true;
  if (step.answerReplace && e.confirmingReplace) {
    std::printf("fieldscope: asked: Replace file? '%s' (answer: %s)\n", e.path,
                step.answerReplace == 1 ? "Replace" : "Cancel");
    e.answerReplace = step.answerReplace;
  }
}

void ExportScriptElement::afterFrame(AppHost& app, double, const std::vector<uint8_t>*) {
  const UiState& ui = app.ui();
  const ExportState& e = ui.exporting;
  if (e.finished == 0 && e.replaceDeclined > 0 && exitWhenDone_) {  // "Replace file?" answered Cancel
    std::printf("fieldscope: export not started: '%s' kept\n", e.path);
    app.exit(app.context().validationErrors() == 0 ? 0 : 1);
    return;
  }
  if (e.finished == 0) return;
  if (framesAfter_ < 0) {
    ok_ = e.lastOk;
    std::printf("fieldscope: export %s: %s\n", e.lastOk ? "finished" : "failed", e.lastMessage.c_str());
    if (!ui.errorTitle.empty())
      std::printf("fieldscope: error dialog: %s: %s\n", ui.errorTitle.c_str(), ui.errorMessage.c_str());
  }
  ++framesAfter_;
  if (exitWhenDone_) app.exit(ok_ && app.context().validationErrors() == 0 ? 0 : 1);
}

}  // namespace fieldscope
