#include "render/dynamic_resolution.h"

#include <algorithm>
#include <cmath>

namespace fieldscope {

void DynamicResolution::setSettings(const DynamicResolutionSettings& s) {
  settings_ = s;
  settings_.minScale = std::clamp(std::isfinite(s.minScale) ? s.minScale : 0.2, 0.05, 1.0);
  const double minMs = 1000.0 / DynamicResolutionSettings::kMaxTargetFps;
  const double maxMs = 1000.0 / DynamicResolutionSettings::kMinTargetFps;
  settings_.targetMs = std::clamp(std::isfinite(s.targetMs) ? s.targetMs : 1000.0 / 30.0, minMs, maxMs);
  scale_ = std::clamp(scale_, settings_.minScale, 1.0);
  smoothedMs_ = shownMs_ = -1;
  samplesSinceChange_ = 0;
  perFullMs_ = lastX_ = lastMs_ = -1;
  fixedMs_ = 0;
}

std::pair<int, int> DynamicResolution::movingSize(int width, int height) const {
  width = std::max(width, 1);
  height = std::max(height, 1);
  const double s = scale();
  const int w = std::clamp(int(std::lround(width * s)), std::min(width, 16), width);
  const int h = std::clamp(int(std::lround(height * s)), std::min(height, 16), height);
  return {w, h};
}

void DynamicResolution::addMovingFrame(double ms) {
  if (!settings_.enabled || !std::isfinite(ms) || ms <= 0) return;
  ms = std::min(ms, 10000.0);  // a stall (a window move, a breakpoint) is not a frame time
  if (samplesSinceChange_++ < kSettleFrames) return;  // still the previous scale's frames
  smoothedMs_ = smoothedMs_ < 0 ? ms : 0.7 * smoothedMs_ + 0.3 * ms;
  shownMs_ = smoothedMs_;
  if (samplesSinceChange_ < kSettleFrames + 2) return;  // two samples at this scale first
  // The target is a ceiling: aim a little under it so that the settled frames (within the dead
  // band, and with noise) stay at or below it rather than scattering around it.
  const double T = settings_.targetMs * kAimShare, t = smoothedMs_;
  const double x = scale_ * scale_;
  // A fit the frames no longer follow (a bake or an export took the CPU for a while, the window
  // moved to another screen) is forgotten rather than steered by.
  if (perFullMs_ > 0) {
    const double predicted = fixedMs_ + perFullMs_ * x;
    if (std::abs(t / predicted - 1.0) > kForgetFit) {
      perFullMs_ = lastX_ = lastMs_ = -1;
      fixedMs_ = 0;
    }
  }
  // A settled point: refine the fit t = fixed + k s^2 from it and the previous one.
  if (lastX_ > 0 && std::abs(x - lastX_) > 0.2 * std::max(x, lastX_)) {
    const double k = (t - lastMs_) / (x - lastX_);
    const double c = std::max(t - k * x, 0.0);  // noise can make it negative; no frame costs less than nothing
    if (k > 0) {
      const bool first = perFullMs_ < 0;
      perFullMs_ = first ? k : 0.5 * perFullMs_ + 0.5 * k;
      fixedMs_ = first ? c : 0.5 * fixedMs_ + 0.5 * c;
    }
  }
  lastX_ = x;
  lastMs_ = t;
  const bool fitted = perFullMs_ > 0;
  const bool reachable = !fitted || T > fixedMs_ * 1.05;
  double want = scale_ * std::sqrt(T / t);
  if (fitted && reachable) want = std::sqrt((T - fixedMs_) / perFullMs_);
  const double floor = reachable ? 0.0 : std::sqrt(kFloorShare * fixedMs_ / perFullMs_);
  want = std::max(want, floor);
  const bool inBand = t <= std::min(settings_.targetMs, T * (1.0 + kDeadBand)) && t >= T * (1.0 - kDeadBand);
  if (inBand && scale_ >= floor) return;  // settled
  const double next =
      std::clamp(std::clamp(want, scale_ * kMaxStepDown, scale_ * kMaxStepUp), settings_.minScale, 1.0);
  if (std::abs(next - scale_) < 0.01 * scale_) return;  // at a limit, or where it should be
  scale_ = next;
  samplesSinceChange_ = 0;
  smoothedMs_ = -1;
}

}  // namespace fieldscope
