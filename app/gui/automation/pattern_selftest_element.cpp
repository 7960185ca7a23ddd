#include "app/gui/automation/pattern_selftest_element.h"

#include <cstdio>
#include <memory>

#include "app/gui/pattern_source.h"
#include "app/panels/ui_state.h"
#include "app/views/field_view.h"
#include "render/context.h"

namespace fieldscope {

void PatternSelftestElement::attach(AppHost& app) {
  auto view = std::make_unique<FieldView>(makePatternSource(), app.viewServices(), "");
  view->tiles().setNearest(true);
  view->tiles().setExactViews(false);
  view_ = view.get();
  app.setView(std::move(view));
}

void PatternSelftestElement::beforeViewInput(AppHost& app, ViewportInput& input) {
  (void)app;
  // The view is pinned: viewport pixel (i, j) shows level-0 texel (kTx0 + j, kTy0 + i).
  view_->tiles().pinView(alignedPatternView(input.width, input.height, kTx0, kTy0));
}

bool PatternSelftestElement::wantsCapture(AppHost& app) {
  return app.view()->progress().detailComplete && app.framesDrawn() >= 2;
}

void PatternSelftestElement::afterFrame(AppHost& app, double, const std::vector<uint8_t>* screen) {
  if (!screen) return;
  const VkExtent2D e = app.windowExtent();
  const ViewportRect& rect = app.viewportRect();
  const View2D& v = view_->tiles().view();
  const int w = v.width(), h = v.height();
  int64_t bad = -1;
  if (rect.x + w <= int(e.width) && rect.y + h <= int(e.height))
    bad = countPatternMismatches(screen->data() + (size_t(rect.y) * e.width + rect.x) * 4, w, h,
                                 int64_t(e.width) * 4, kTx0, kTy0);
  const VulkanContext& ctx = app.context();
  const int errors = ctx.validationErrors();
  std::printf("selftest (window %ux%u, viewport %dx%d at %d,%d): %lld pixels differ from the pattern\n", e.width,
              e.height, w, h, rect.x, rect.y, (long long)bad);
  std::printf("selftest: validation %s, errors: %d\n", ctx.validationEnabled() ? "on" : "off", errors);
  const bool ok = bad == 0 && errors == 0;
  std::printf("selftest: %s\n", ok ? "PASS" : "FAIL");
  app.exit(ok ? 0 : 1);
}

}  // namespace fieldscope
