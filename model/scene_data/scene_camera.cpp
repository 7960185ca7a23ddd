#include "model/scene_data/scene_camera.h"

#include <cmath>
#include <numbers>

#include "model/shape_data/shape_random.h"

namespace fieldscope {
namespace {

double radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

double focal(float cameraAngleX, int width) { return 0.5 * width / std::tan(0.5 * double(cameraAngleX)); }

}  // namespace

Matrix4 lookAtCameraToWorld(Vec3 eye, Vec3 target) {
  const Vec3 forward = normalize(target - eye);
  Vec3 right = cross(forward, Vec3{0, 0, 1});
  if (length(right) < 1e-9) right = Vec3{1, 0, 0};  // straight up or down: any right will do
  right = normalize(right);
  const Vec3 up = cross(right, forward);
  const Vec3 back = -1.0 * forward;  // the camera's +Z: it looks down -Z
  const auto f = [](double v) { return static_cast<float>(v); };
  return {f(right.x), f(up.x), f(back.x), f(eye.x),  //
          f(right.y), f(up.y), f(back.y), f(eye.y),  //
          f(right.z), f(up.z), f(back.z), f(eye.z),  //
          0, 0, 0, 1};
}

Matrix4 orbitCamera(double azimuthDegrees, double elevationDegrees) {
  const double a = radians(azimuthDegrees), e = radians(elevationDegrees);
  const Vec3 eye = kSceneCameraRadius * Vec3{std::cos(e) * std::cos(a), std::cos(e) * std::sin(a), std::sin(e)};
  return lookAtCameraToWorld(eye, Vec3{0, 0, 0});
}

std::vector<Matrix4> randomOrbitCameras(int count, std::uint64_t seed) {
  ShapeRandom random(ShapeRandom::streamSeed(seed, 0x63616d657261ull));  // "camera"
  const double z0 = std::sin(radians(-10)), z1 = std::sin(radians(70));
  std::vector<Matrix4> out;
  for (int i = 0; i < count; ++i) {
    const double azimuth = random.uniform(0, 360);
    const double elevation = std::asin(random.uniform(z0, z1)) * 180.0 / std::numbers::pi;  // uniform in area
    out.push_back(orbitCamera(azimuth, elevation));
  }
  return out;
}

std::vector<Matrix4> spiralOrbitCameras(int count) {
  std::vector<Matrix4> out;
  for (int i = 0; i < count; ++i) {
    const double t = (i + 0.5) / count;
    out.push_back(orbitCamera(360.0 * t, 5.0 + 50.0 * t));
  }
  return out;
}

Ray pixelRay(const Matrix4& m, float cameraAngleX, int width, int height, double px, double py) {
  const double f = focal(cameraAngleX, width);
  const Vec3 dirCamera{(px - 0.5 * width) / f, -(py - 0.5 * height) / f, -1.0};
  const Vec3 dir = dirCamera.x * matrixColumn(m, 0) + dirCamera.y * matrixColumn(m, 1) + dirCamera.z * matrixColumn(m, 2);
  return {matrixColumn(m, 3), normalize(dir)};
}

bool projectToPixel(const Matrix4& m, float cameraAngleX, int width, int height, Vec3 p, double& px, double& py) {
  const Vec3 d = p - matrixColumn(m, 3);
  // The camera's axes are the matrix's first three columns (a rotation: its inverse is the transpose).
  const double x = dot(d, matrixColumn(m, 0)), y = dot(d, matrixColumn(m, 1)), z = dot(d, matrixColumn(m, 2));
  if (z >= 0) return false;  // behind: the camera looks down -Z
  const double f = focal(cameraAngleX, width);
  px = 0.5 * width + f * x / -z;
  py = 0.5 * height - f * y / -z;
  return true;
}

}  // namespace fieldscope
