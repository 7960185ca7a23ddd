#include "app/gui/automation/open_script_element.h"

#include "app/panels/ui_state.h"

namespace fieldscope {

void OpenScriptElement::beforeUi(AppHost& app) {
  // After the first frames and whatever the app opened at start.
  if (app.loading() || frame_++ != 3) return;
  app.ui().openModelPath = path_;
  framesAfter_ = 0;
}

void OpenScriptElement::afterFrame(AppHost& app, double, const std::vector<uint8_t>*) {
  if (framesAfter_ >= 0 && !app.loading()) ++framesAfter_;
}

}  // namespace fieldscope
