#pragma once
// ZoomAnimator: smooth wheel zoom. A wheel notch multiplies a target zoom about the cursor;
// every frame the view moves toward it exponentially in log scale (fast at first, easing
// out) and lands exactly on the target kDuration after the last notch. The field point under
// the cursor stays where it is throughout (View2D's double-precision zoom about a point), and
// notches that arrive during the animation accumulate. Pure math, no clock: callers pass `now`.
#include "render/view2d.h"

namespace fieldscope {

class ZoomAnimator {
 public:
  static constexpr double kDuration = 0.12;  // seconds from the last notch to the target
  static constexpr double kSharpness = 5.0;  // ease-out exp(-k s), renormalised to reach 1 at s = 1

  // A notch (factor > 1 zooms in) at pixel (px, py), at time `now` (seconds). Brings `view` up
  // to `now` first, so the motion stays continuous. Returns false when the target was clamped
  // by a zoom limit.
  bool addStep(View2D& view, double px, double py, double factor, double now);
  // Moves `view` to where the animation is at `now`; returns true while it is still animating.
  bool update(View2D& view, double now);
  bool active() const { return active_; }
  void cancel() { active_ = false; }  // e.g. the view was reset
  double targetUnitsPerPixel() const { return targetUpp_; }

 private:
  bool active_ = false;
  double px_ = 0, py_ = 0;  // the anchor: the cursor of the last notch
  double startUpp_ = 1, targetUpp_ = 1, startTime_ = 0;
};

}  // namespace fieldscope
