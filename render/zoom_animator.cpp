#include "render/zoom_animator.h"

#include <algorithm>
#include <cmath>

namespace fieldscope {

bool ZoomAnimator::addStep(View2D& view, double px, double py, double factor, double now) {
  update(view, now);
  const double base = active_ ? targetUpp_ : view.unitsPerPixel();
  const double wanted = base / factor;
  targetUpp_ = view.clampUnitsPerPixel(wanted);
  startUpp_ = view.unitsPerPixel();
  startTime_ = now;
  px_ = px;
  py_ = py;
  active_ = targetUpp_ != startUpp_;
  return targetUpp_ == wanted;
}

bool ZoomAnimator::update(View2D& view, double now) {
  if (!active_) return false;
  const double s = (now - startTime_) / kDuration;
  if (s >= 1.0) {
    view.zoomAboutTo(px_, py_, targetUpp_);  // exactly the target
    active_ = false;
    return false;
  }
  const double e = (1.0 - std::exp(-kSharpness * std::max(0.0, s))) / (1.0 - std::exp(-kSharpness));
  const double logUpp = std::log(startUpp_) + (std::log(targetUpp_) - std::log(startUpp_)) * e;
  view.zoomAboutTo(px_, py_, std::exp(logUpp));
  return true;
}

}  // namespace fieldscope
