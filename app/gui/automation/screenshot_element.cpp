#include "app/gui/automation/screenshot_element.h"

#include <cstdio>

#include "app/domain/domain_view.h"
#include "model/io/png_file.h"
#include "render/context.h"

namespace fieldscope {

ScreenshotElement::ScreenshotElement(std::string path, int frames, bool waitForDetail, std::function<bool()> ready,
                                     std::function<bool()> ok)
    : path_(std::move(path)), frames_(frames), waitForDetail_(waitForDetail), ready_(std::move(ready)),
      ok_(std::move(ok)) {}

bool ScreenshotElement::wantsCapture(AppHost& app) {
  return !app.loading() && app.framesDrawn() + 1 >= frames_ && (!waitForDetail_ || app.view()->progress().converged) &&
         (!ready_ || ready_());
}

void ScreenshotElement::afterFrame(AppHost& app, double, const std::vector<uint8_t>* capture) {
  if (!capture) return;
  const VkExtent2D e = app.windowExtent();
  writePng(path_, Rgba8Image{int(e.width), int(e.height), *capture});
  std::printf("fieldscope: wrote %s (%ux%u, after %d frames)\n", path_.c_str(), e.width, e.height,
              app.framesDrawn());
  app.exit(app.context().validationErrors() == 0 && (!ok_ || ok_()) ? 0 : 1);
}

}  // namespace fieldscope
