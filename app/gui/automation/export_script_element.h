#pragma once
// --script export:W:PATH: opens File > Export..., types the width and the file into the
// dialog, presses Export, and ends the run once the export has finished (status 0 only when
// the file was written). Drives the real dialog, so tests see what a user gets.
#include <memory>

#include "app/gui/app_element.h"
#include "app/gui/input_script.h"

namespace fieldscope {

class ExportScriptElement final : public AppElement {
 public:
  // exitWhenDone: false when a screenshot element ends the run instead.
  ExportScriptElement(std::unique_ptr<InputScript> script, bool exitWhenDone);
  void beforeUi(AppHost& app) override;
  void afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>* capture) override;
  bool drivesFrames() const override { return true; }
  // Finished, and a few frames drawn since (they show the result and any error dialog).
  bool settled() const { return framesAfter_ >= 2; }
  bool ok() const { return ok_; }

 private:
  std::unique_ptr<InputScript> script_;
  bool exitWhenDone_;
  static constexpr double kMaxWaitSeconds = 120;
  double waitStart_ = -1;
  int frame_ = 0;
  int framesAfter_ = -1;
  bool ok_ = false;
};

}  // namespace fieldscope
