#include "render/orbit_camera.h"

#include <algorithm>
#include <cmath>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/trigonometric.hpp>

namespace fieldscope {

glm::vec3 CameraFrame::direction(float ndcX, float ndcY, float aspect) const {
  return glm::normalize(forward + (ndcX * aspect * tanHalfFovY) * right + (ndcY * tanHalfFovY) * up);
}

glm::vec3 CameraFrame::pixelDirection(int px, int py, int width, int height) const {
  const float ndcX = 2.0f * (float(px) + 0.5f) / float(width) - 1.0f;
  const float ndcY = 1.0f - 2.0f * (float(py) + 0.5f) / float(height);
  return direction(ndcX, ndcY, float(width) / float(height));
}

namespace {
float finiteOr(float v, float fallback) { return std::isfinite(v) ? v : fallback; }
// For clamped values an infinity is a limit (a huge zoom-out is the farthest distance), NaN is not.
float numberOr(float v, float fallback) { return std::isnan(v) ? fallback : v; }
}  // namespace

OrbitCameraState OrbitCamera::clamped(const OrbitCameraState& s, const OrbitCameraState& fallback) {
  OrbitCameraState c;
  // Azimuth wraps to (-180, 180] so that a long orbit does not lose float precision.
  c.azimuthDeg = std::remainder(finiteOr(s.azimuthDeg, fallback.azimuthDeg), 360.0f);
  c.elevationDeg = std::clamp(numberOr(s.elevationDeg, fallback.elevationDeg), -kMaxElevationDeg, kMaxElevationDeg);
  c.distance = std::clamp(numberOr(s.distance, fallback.distance), kMinDistance, kMaxDistance);
  for (int i = 0; i < 3; ++i) c.target[i] = finiteOr(s.target[i], fallback.target[i]);
  c.fovYDeg = std::clamp(numberOr(s.fovYDeg, fallback.fovYDeg), kMinFovDeg, kMaxFovDeg);
  return c;
}

OrbitCamera::OrbitCamera(const OrbitCameraState& home) : home_(clamped(home, OrbitCameraState{})), state_(home_) {}

void OrbitCamera::rotate(float dAzimuthDeg, float dElevationDeg) {
  OrbitCameraState s = state_;
  s.azimuthDeg += dAzimuthDeg;
  s.elevationDeg += dElevationDeg;
  state_ = clamped(s, state_);
}

void OrbitCamera::drag(float dxPixels, float dyPixels, float viewportHeight) {
  if (!(viewportHeight > 0)) return;
  const float degPerPixel = kDegreesPerViewport / viewportHeight;
  // Dragging right spins the object right, i.e. the camera moves left round it; dragging down
  // brings the top of the object towards the viewer, i.e. the camera rises.
  rotate(-dxPixels * degPerPixel, dyPixels * degPerPixel);
}

void OrbitCamera::zoom(float notches) {
  OrbitCameraState s = state_;
  s.distance *= std::pow(kZoomPerNotch, notches);
  state_ = clamped(s, state_);
}

void OrbitCamera::pan(float dxPixels, float dyPixels, float viewportHeight) {
  if (!(viewportHeight > 0)) return;
  // World size of one pixel at the target's depth: the view's height there is 2 d tan(fov/2).
  const CameraFrame f = frame();
  const float worldPerPixel = 2.0f * state_.distance * f.tanHalfFovY / viewportHeight;
  // The scene follows the cursor: dragging right moves the target (and camera) left.
  OrbitCameraState s = state_;
  s.target += (-dxPixels * worldPerPixel) * f.right + (dyPixels * worldPerPixel) * f.up;
  state_ = clamped(s, state_);
}

bool OrbitCamera::key(OrbitKey key) {
  switch (key) {
    case OrbitKey::RotateLeft: rotate(-kKeyStepDeg, 0); return true;
    case OrbitKey::RotateRight: rotate(kKeyStepDeg, 0); return true;
    case OrbitKey::RotateUp: rotate(0, kKeyStepDeg); return true;
    case OrbitKey::RotateDown: rotate(0, -kKeyStepDeg); return true;
    case OrbitKey::ZoomIn: zoom(1); return true;
    case OrbitKey::ZoomOut: zoom(-1); return true;
    case OrbitKey::Reset: reset(); return true;
  }
  return false;
}

void OrbitCamera::setFov(float fovYDeg) {
  OrbitCameraState s = state_;
  s.fovYDeg = fovYDeg;
  state_ = clamped(s, state_);
}

void OrbitCamera::restore(const OrbitCameraState& saved) { state_ = clamped(saved, home_); }

glm::vec3 OrbitCamera::eye() const {
  const float az = glm::radians(state_.azimuthDeg), el = glm::radians(state_.elevationDeg);
  const glm::vec3 offset(std::cos(el) * std::sin(az), std::sin(el), std::cos(el) * std::cos(az));
  return state_.target + state_.distance * offset;
}

CameraFrame OrbitCamera::frame() const {
  CameraFrame f;
  f.origin = eye();
  f.forward = glm::normalize(state_.target - f.origin);
  // |elevation| <= 89 deg keeps forward away from +-Y, so the cross product never vanishes.
  f.right = glm::normalize(glm::cross(f.forward, glm::vec3(0, 1, 0)));
  f.up = glm::cross(f.right, f.forward);
  f.tanHalfFovY = std::tan(glm::radians(state_.fovYDeg) * 0.5f);
  return f;
}

glm::mat4 OrbitCamera::view() const { return glm::lookAt(eye(), state_.target, glm::vec3(0, 1, 0)); }

glm::mat4 OrbitCamera::projection(float aspect, float nearPlane, float farPlane) const {
  return glm::perspective(glm::radians(state_.fovYDeg), aspect, nearPlane, farPlane);
}

}  // namespace fieldscope
