// OrbitCamera: the 3D view's camera. Pure math, no Vulkan.
#include "render/orbit_camera.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <glm/geometric.hpp>
#include <glm/trigonometric.hpp>
#include <limits>

namespace fieldscope {
namespace {

float angleBetweenDeg(glm::vec3 a, glm::vec3 b) {
  return glm::degrees(std::acos(std::clamp(glm::dot(glm::normalize(a), glm::normalize(b)), -1.0f, 1.0f)));
}

TEST(OrbitCamera, RotationKeepsTheDistanceToTheTarget) {
  OrbitCameraState home;
  home.target = {0.1f, -0.2f, 0.3f};
  home.distance = 2.5f;
  OrbitCamera cam(home);
  for (int i = 0; i < 50; ++i) {
    cam.drag(37.0f, -11.0f, 600.0f);
    cam.rotate(13.0f, 7.0f);
    EXPECT_NEAR(glm::length(cam.eye() - home.target), 2.5f, 1e-4f);
  }
  EXPECT_GT(std::abs(cam.state().azimuthDeg - home.azimuthDeg), 1.0f) << "it did rotate";
  EXPECT_LE(std::abs(cam.state().azimuthDeg), 180.0f) << "azimuth stays wrapped";
}

TEST(OrbitCamera, ElevationIsClampedShortOfThePolesWithAFiniteBasis) {
  OrbitCamera cam;
  cam.rotate(0, 500.0f);
  EXPECT_FLOAT_EQ(cam.state().elevationDeg, OrbitCamera::kMaxElevationDeg);
  CameraFrame f = cam.frame();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(std::isfinite(f.right[i]) && std::isfinite(f.up[i]) && std::isfinite(f.forward[i]));
  }
  EXPECT_NEAR(glm::length(f.right), 1.0f, 1e-5f);
  EXPECT_NEAR(glm::dot(f.right, f.forward), 0.0f, 1e-5f);
  EXPECT_NEAR(glm::dot(f.up, f.forward), 0.0f, 1e-5f);
  EXPECT_GT(f.up.y, 0.0f) << "up stays up";
  cam.drag(0, -1e6f, 100.0f);  // a huge drag the other way
  EXPECT_FLOAT_EQ(cam.state().elevationDeg, -OrbitCamera::kMaxElevationDeg);
  EXPECT_TRUE(std::isfinite(cam.frame().right.x));
}

TEST(OrbitCamera, PanMovesTheTargetInTheCameraPlaneAndTheCameraWithIt) {
  OrbitCamera cam;
  const CameraFrame before = cam.frame();
  const glm::vec3 target0 = cam.state().target;
  cam.pan(100.0f, -50.0f, 400.0f);
  const glm::vec3 moved = cam.state().target - target0;
  EXPECT_GT(glm::length(moved), 1e-3f);
  EXPECT_NEAR(glm::dot(moved, before.forward), 0.0f, 1e-5f) << "no motion along the view direction";
  EXPECT_LT(glm::dot(moved, before.right), 0.0f) << "dragging right moves the target left";
  EXPECT_LT(glm::dot(moved, before.up), 0.0f) << "dragging up moves the target down";
  // The point under the cursor follows it: 100 px of a 400 px tall view at the target's depth
  // is 100/400 of the view's height there, 2 d tan(fov/2).
  const float worldPerPixel = 2.0f * cam.state().distance * before.tanHalfFovY / 400.0f;
  EXPECT_NEAR(glm::dot(moved, before.right), -100.0f * worldPerPixel, 1e-5f);
  EXPECT_NEAR(glm::length(cam.eye() - cam.state().target), cam.state().distance, 1e-5f);
  const CameraFrame after = cam.frame();
  EXPECT_NEAR(angleBetweenDeg(after.forward, before.forward), 0.0f, 0.05f) << "panning does not rotate";
}

TEST(OrbitCamera, ZoomIsExponentialAndClamped) {
  OrbitCameraState home;
  home.distance = 2.0f;
  OrbitCamera cam(home);
  cam.zoom(1);
  EXPECT_NEAR(cam.state().distance, 2.0f * OrbitCamera::kZoomPerNotch, 1e-5f);
  cam.zoom(-2);
  EXPECT_NEAR(cam.state().distance, 2.0f / OrbitCamera::kZoomPerNotch, 1e-5f);
  cam.zoom(1000);
  EXPECT_FLOAT_EQ(cam.state().distance, OrbitCamera::kMinDistance);
  cam.zoom(-1e5f);
  EXPECT_FLOAT_EQ(cam.state().distance, OrbitCamera::kMaxDistance);
  EXPECT_TRUE(std::isfinite(cam.eye().x));
}

TEST(OrbitCamera, KeysRotateZoomAndResetToHome) {
  OrbitCameraState home;
  home.azimuthDeg = 10;
  home.elevationDeg = 5;
  home.distance = 3;
  home.target = {0.2f, 0, 0};
  OrbitCamera cam(home);
  EXPECT_TRUE(cam.key(OrbitKey::RotateRight));
  EXPECT_FLOAT_EQ(cam.state().azimuthDeg, 10 + OrbitCamera::kKeyStepDeg);
  EXPECT_TRUE(cam.key(OrbitKey::RotateUp));
  EXPECT_FLOAT_EQ(cam.state().elevationDeg, 5 + OrbitCamera::kKeyStepDeg);
  EXPECT_TRUE(cam.key(OrbitKey::ZoomIn));
  EXPECT_LT(cam.state().distance, 3.0f);
  cam.pan(30, 40, 300);
  cam.setFov(70);
  EXPECT_TRUE(cam.key(OrbitKey::Reset));
  EXPECT_FLOAT_EQ(cam.state().azimuthDeg, 10);
  EXPECT_FLOAT_EQ(cam.state().elevationDeg, 5);
  EXPECT_FLOAT_EQ(cam.state().distance, 3);
  EXPECT_EQ(cam.state().target, home.target);
  EXPECT_FLOAT_EQ(cam.state().fovYDeg, home.fovYDeg);
}

TEST(OrbitCamera, TheCentrePixelsRayPointsAtTheTarget) {
  OrbitCameraState home;
  home.azimuthDeg = -37;
  home.elevationDeg = 60;
  home.distance = 1.3f;
  home.target = {0.1f, -0.05f, 0.08f};
  OrbitCamera cam(home);
  const CameraFrame f = cam.frame();
  // An odd-sized image has a centre pixel; its ray is the view direction.
  const glm::vec3 d = f.pixelDirection(128, 96, 257, 193);
  const glm::vec3 toTarget = glm::normalize(home.target - f.origin);
  EXPECT_LT(angleBetweenDeg(d, toTarget), 1e-3f);
  // A pixel right of the centre looks right, one above looks up; a corner pixel is at half the
  // diagonal field of view from the axis.
  EXPECT_GT(glm::dot(f.pixelDirection(200, 96, 257, 193), f.right), 0.0f);
  EXPECT_GT(glm::dot(f.pixelDirection(128, 10, 257, 193), f.up), 0.0f);
  const float tanHalf = std::tan(glm::radians(home.fovYDeg) / 2);
  const glm::vec3 top = f.direction(0, 1, 257.0f / 193.0f);
  EXPECT_NEAR(angleBetweenDeg(top, f.forward), home.fovYDeg / 2, 1e-3f);
  EXPECT_NEAR(glm::dot(f.direction(1, 0, 2.0f), f.right) / glm::dot(f.direction(1, 0, 2.0f), f.forward),
              2.0f * tanHalf, 1e-5f);
}

TEST(OrbitCamera, ViewMatrixAgreesWithTheFrame) {
  OrbitCamera cam;
  cam.rotate(40, -15);
  const CameraFrame f = cam.frame();
  const glm::mat4 v = cam.view();
  const glm::vec4 target = v * glm::vec4(cam.state().target, 1.0f);
  EXPECT_NEAR(target.x, 0.0f, 1e-5f);
  EXPECT_NEAR(target.y, 0.0f, 1e-5f);
  EXPECT_NEAR(target.z, -cam.state().distance, 1e-5f) << "the target is straight ahead";
  const glm::vec4 r = v * glm::vec4(f.right, 0.0f);
  EXPECT_NEAR(r.x, 1.0f, 1e-5f);
  const glm::mat4 p = cam.projection(1.5f, 0.01f, 10.0f);
  EXPECT_NEAR(p[1][1], 1.0f / f.tanHalfFovY, 1e-4f);
}

TEST(OrbitCamera, RestoreClampsAndRejectsNonFiniteValues) {
  OrbitCameraState home;
  OrbitCamera cam(home);
  OrbitCameraState saved;
  saved.azimuthDeg = 725;
  saved.elevationDeg = 95;
  saved.distance = std::numeric_limits<float>::quiet_NaN();
  saved.target = {1, std::numeric_limits<float>::infinity(), 3};
  saved.fovYDeg = 1000;
  cam.restore(saved);
  EXPECT_NEAR(cam.state().azimuthDeg, 5.0f, 1e-3f);
  EXPECT_FLOAT_EQ(cam.state().elevationDeg, OrbitCamera::kMaxElevationDeg);
  EXPECT_FLOAT_EQ(cam.state().distance, home.distance);
  EXPECT_EQ(cam.state().target, glm::vec3(1, home.target.y, 3));
  EXPECT_FLOAT_EQ(cam.state().fovYDeg, OrbitCamera::kMaxFovDeg);
}

}  // namespace
}  // namespace fieldscope
