#pragma once
// `selftest --window`: the round trip through a real window -- torch writes a known pattern
// into shared memory, the compositor draws it 1:1 (nearest texels) into the swapchain, the
// window's pixels are read back and compared with the plain-C++ reference.
#include "app/gui/app_element.h"

namespace fieldscope {

class FieldView;

class PatternSelftestElement final : public AppElement {
 public:
  static constexpr int64_t kTx0 = 17, kTy0 = 5;  // the pattern texel at the viewport's corner
  void attach(AppHost& app) override;
  void beforeViewInput(AppHost& app, ViewportInput& input) override;
  bool wantsCapture(AppHost& app) override;
  void afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>* capture) override;
  bool drivesFrames() const override { return true; }

 private:
  FieldView* view_ = nullptr;  // owned by the app
};

}  // namespace fieldscope
