#pragma once
// --screenshot PATH --frames N [--wait-detail]: the real window as PNG after N frames (and,
// with --wait-detail, once the view has converged), then exit.
#include <functional>
#include <string>

#include "app/gui/app_element.h"

namespace fieldscope {

class ScreenshotElement final : public AppElement {
 public:
  // ready: another element's say (a scripted export finishes first); ok: its outcome.
  ScreenshotElement(std::string path, int frames, bool waitForDetail, std::function<bool()> ready = {},
                    std::function<bool()> ok = {});
  bool wantsCapture(AppHost& app) override;
  void afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>* capture) override;
  bool drivesFrames() const override { return !waitForDetail_; }

 private:
  std::string path_;
  int frames_;
  bool waitForDetail_;
  std::function<bool()> ready_, ok_;
};

}  // namespace fieldscope
