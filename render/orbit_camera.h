#pragma once
// OrbitCamera: the 3D view's camera (GridView3D, docs/architecture.md "The 3D view's parts") -- it orbits a target point.
// Mouse drags rotate (azimuth about the world Y axis, elevation above the XZ plane, clamped short
// of the poles so the basis never degenerates), the wheel zooms (distance, exponential per notch,
// clamped), a second drag pans (moves the target in the camera plane), keys do the same in steps.
// For a ray-marcher it gives the camera frame (origin + orthonormal basis + tan(fovY/2)), from
// which every pixel's ray follows; view/projection matrices for anything rasterised.
// Torch-free and GLFW-free (the app maps its input events onto these calls).
#include <glm/mat4x4.hpp>
#include <glm/vec3.hpp>

namespace fieldscope {

// What the app stores in its session JSON (degrees and world units).
struct OrbitCameraState {
  float azimuthDeg = 30.0f;    // about +Y; 0 = camera on the +Z side of the target
  float elevationDeg = 20.0f;  // above the XZ plane
  float distance = 1.8f;       // camera to target
  glm::vec3 target{0.0f};
  float fovYDeg = 40.0f;       // vertical field of view
};

// The camera as a ray generator: pixel (px, py) of a W x H image (top row first) looks along
// normalize(forward + u * right + v * up), u = (2 (px + 0.5) / W - 1) * aspect * tanHalfFovY,
// v = (1 - 2 (py + 0.5) / H) * tanHalfFovY. shaders/raymarch_grid.comp does the same.
struct CameraFrame {
  glm::vec3 origin;
  glm::vec3 right, up, forward;  // orthonormal, right-handed: right x up = -forward
  float tanHalfFovY;
  // Direction through normalized image coordinates (ndcX, ndcY) in [-1, 1] (y up), aspect = W / H.
  glm::vec3 direction(float ndcX, float ndcY, float aspect) const;
  // Direction through the centre of pixel (px, py) of a width x height image, top row first.
  glm::vec3 pixelDirection(int px, int py, int width, int height) const;
};

enum class OrbitKey { RotateLeft, RotateRight, RotateUp, RotateDown, ZoomIn, ZoomOut, Reset };

class OrbitCamera {
 public:
  static constexpr float kMaxElevationDeg = 89.0f;  // short of the pole: forward never parallels +Y
  static constexpr float kMinDistance = 0.05f;
  static constexpr float kMaxDistance = 50.0f;
  static constexpr float kMinFovDeg = 5.0f;
  static constexpr float kMaxFovDeg = 120.0f;
  static constexpr float kZoomPerNotch = 0.9f;      // distance factor per wheel notch towards the target
  static constexpr float kDegreesPerViewport = 180.0f;  // a drag across the viewport's height turns this much
  static constexpr float kKeyStepDeg = 5.0f;

  // `home` is where reset() returns to; it is clamped like any restored state.
  explicit OrbitCamera(const OrbitCameraState& home = {});

  // Turns by angles (degrees): positive azimuth moves the camera to its right round the target,
  // positive elevation moves it up. Elevation is clamped to +-kMaxElevationDeg.
  void rotate(float dAzimuthDeg, float dElevationDeg);
  // A mouse drag of (dx, dy) pixels in a viewport `viewportHeight` pixels tall: dragging right
  // turns the object right (the camera goes left), dragging down tilts it towards the viewer.
  void drag(float dxPixels, float dyPixels, float viewportHeight);
  // Wheel notches (positive: towards the target); the distance scales by kZoomPerNotch^notches.
  void zoom(float notches);
  // Moves the target in the camera plane so that the point under the cursor follows it
  // (at the target's depth): dx right, dy down, in pixels of a viewport viewportHeight tall.
  void pan(float dxPixels, float dyPixels, float viewportHeight);
  // Arrows rotate by kKeyStepDeg, +/- zoom by one notch, 0 resets. Returns whether it did anything.
  bool key(OrbitKey key);
  void reset() { state_ = home_; }
  void setFov(float fovYDeg);

  const OrbitCameraState& state() const { return state_; }
  // Restores a saved state, clamped to the limits; non-finite values fall back to the home state's.
  void restore(const OrbitCameraState& saved);

  glm::vec3 eye() const;
  CameraFrame frame() const;
  glm::mat4 view() const;
  // OpenGL-style perspective (right-handed, depth -1..1); Vulkan users flip y themselves.
  glm::mat4 projection(float aspect, float nearPlane, float farPlane) const;

 private:
  static OrbitCameraState clamped(const OrbitCameraState& s, const OrbitCameraState& fallback);
  OrbitCameraState home_;
  OrbitCameraState state_;
};

}  // namespace fieldscope
