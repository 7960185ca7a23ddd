#pragma once
// DynamicResolution: how many pixels the 3D view marches while the camera moves, so that a
// frame takes about the target time (docs/architecture.md "The 3D view's parts"). The view
// marches a reduced picture (scale s of the viewport's width and height) and stretches it over
// the viewport; once the camera rests it marches one full-resolution frame.
//
// The target is a ceiling: the controller aims at kAimShare of it and keeps a scale whose
// smoothed frame time is within the dead band of that aim (and not over the target). The controller only sees frame times. It lets two frames pass after each change of scale
// before it believes the times again (frames in flight), smooths them, and steps the scale by
// sqrt(target / measured) (a frame's march grows with its pixels, s^2), limited per step and
// with a dead band so it settles. From the settled (scale, time) pairs it fits
// time = fixed + k s^2: with a fit it aims straight at the target, and when the fixed part alone
// (UI, present, copies) is over the target it stops lowering the scale where the march costs
// kFloorShare of the fixed part -- fewer pixels would blur the picture and buy almost nothing.
// Pure: no Vulkan, unit-tested in tests/viewer/.
#include <utility>

namespace fieldscope {

struct DynamicResolutionSettings {
  bool enabled = true;
  double targetMs = 1000.0 / 30.0;  // the frame time to hold while moving
  double minScale = 0.2;            // of the viewport's width and height
  static constexpr double kMinTargetFps = 5, kMaxTargetFps = 240;
};

class DynamicResolution {
 public:
  explicit DynamicResolution(DynamicResolutionSettings settings = {}) { setSettings(settings); }
  void setSettings(const DynamicResolutionSettings& s);
  const DynamicResolutionSettings& settings() const { return settings_; }

  // The picture to march for a moving frame of a width x height viewport (at least 16 pixels a
  // side, at most the viewport; the full viewport when disabled).
  std::pair<int, int> movingSize(int width, int height) const;
  // A moving frame marched at the current scale took `ms` (the time since the previous frame).
  void addMovingFrame(double ms);
  double scale() const { return settings_.enabled ? scale_ : 1.0; }
  // The smoothed frame time at the current scale; < 0 before any.
  double smoothedMs() const { return shownMs_; }
  // The fit: frame time = fixedMs + perFullFrameMs * s^2 (perFullFrameMs < 0: none yet).
  double fixedMs() const { return fixedMs_; }
  double perFullFrameMs() const { return perFullMs_; }

  static constexpr double kAimShare = 0.85;    // of the target: where the scale is aimed
  static constexpr double kDeadBand = 0.12;    // |measured / aim - 1| below this (and not over the target): keep the scale
  static constexpr double kMaxStepUp = 1.15;   // per change, of the scale
  static constexpr double kMaxStepDown = 0.7;
  static constexpr int kSettleFrames = 2;      // frames after a change whose times are not used
  static constexpr double kForgetFit = 0.5;    // |measured / fitted - 1| above this: forget the fit
  static constexpr double kFloorShare = 0.15;  // unreachable target: the march's share to stop at

 private:
  DynamicResolutionSettings settings_;
  double scale_ = 0.5;
  double smoothedMs_ = -1;  // since the last change of scale
  double shownMs_ = -1;
  int samplesSinceChange_ = 0;
  double fixedMs_ = 0, perFullMs_ = -1;  // the fit
  double lastX_ = -1, lastMs_ = -1;      // the previous settled point (s^2, ms)
};

}  // namespace fieldscope
