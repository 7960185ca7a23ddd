// The 3D view's ray-marcher against its CPU reference: torch bakes an analytic sphere's
// occupancy logits into a SharedTensor, GridRaymarcher marches it on the Vulkan device
// (lavapipe here) headless, render/raymarch_cpu.cpp renders the same uniforms on the
// CPU; silhouettes and shading must agree. Validation layers on, no errors allowed.
//
// That the checks can fail is part of each test: a reference with the sphere 1% smaller fails
// the IoU bound, and one with the key light mirrored fails the shading bound (both asserted).
#include <gtest/gtest.h>
#include "tests/vulkan/image_agreement.h"
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <glm/trigonometric.hpp>
#include <memory>
#include <string>

#include "cuda_interop/shared_tensor_torch.h"
#include "model/io/png_file.h"
#include "render/raymarch_cpu.h"
#include "render/grid_raymarcher.h"
#include "test_support.h"
#include "tests/vulkan/test_context.h"

namespace fieldscope {
namespace {
using testing::agreementByAlpha;
using testing::ImageAgreement;

constexpr int kGridN = 128;
constexpr float kHalfExtent = 0.5f;
constexpr float kRadius = 0.3f;
constexpr float kSharpness = 40.0f;  // logit per unit of distance: ~0.3 a voxel, a smooth field
constexpr int kWidth = 256, kHeight = 192;

// Logits k (r - |x|) at the voxel centres, [z][y][x] (model/shape/occupancy_grid.h's layout).
void bakeSphere(SharedTensor& grid, int n, float halfExtent, float radius, float sharpness) {
  torch::NoGradGuard noGrad;
  const auto c = (torch::arange(n, torch::kFloat32) + 0.5) * (2.0 * halfExtent / n) - halfExtent;
  const auto z = c.view({n, 1, 1}), y = c.view({1, n, 1}), x = c.view({1, 1, n});
  asTensor(grid).copy_(sharpness * (radius - (x * x + y * y + z * z).sqrt()));
  grid.torchWritesDone();
}

// FIELDSCOPE_TEST_IMAGES=<folder>: the tests write what they compared there, to look at.
void saveForInspection(const std::vector<uint8_t>& rgba, const std::string& name) {
  const char* dir = std::getenv("FIELDSCOPE_TEST_IMAGES");
  if (!dir || !*dir) return;
  writePng(std::filesystem::path(dir) / (name + ".png"), {kWidth, kHeight, rgba});
}

int coverage(const std::vector<uint8_t>& image) {
  int n = 0;
  for (size_t i = 3; i < image.size(); i += 4) n += image[i] == 255;
  return n;
}

class GridRaymarchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = testing::makeValidatedContext();
    grid_ = SharedTensor::create(ctx_->ref(), {kGridN, kGridN, kGridN}, SharedScalar::Float32);
    bakeSphere(*grid_, kGridN, kHalfExtent, kRadius, kSharpness);
    marcher_ = std::make_unique<GridRaymarcher>(*ctx_);
    marcher_->setGrid(*grid_, kHalfExtent);
    image_ = std::make_unique<OffscreenImage>(*ctx_, kWidth, kHeight);
    settings_.background = {0.1f, 0.1f, 0.12f, 0.0f};
  }
  void TearDown() override { EXPECT_EQ(ctx_->validationErrors(), 0); }

  std::vector<uint8_t> renderGpu(const CameraFrame& camera, const RaymarchSettings& settings, int slot = 0) {
    ctx_->submitAndWait([&](VkCommandBuffer cmd) { marcher_->record(cmd, *image_, camera, settings, slot); },
                        {grid_->vulkanWait()});
    return image_->readback(*ctx_);
  }
  std::vector<uint8_t> renderCpu(const CameraFrame& camera, const RaymarchSettings& settings) const {
    return raymarchOnCpu(raymarchUniforms(camera, settings, marcher_->geometry(), kWidth, kHeight),
                             static_cast<const float*>(grid_->torchData()));
  }
  // The GPU image agrees with the reference; a slightly wrong reference does not.
  void expectMatchesReference(const CameraFrame& camera, const RaymarchSettings& settings) {
    const auto gpu = renderGpu(camera, settings);
    const auto cpu = renderCpu(camera, settings);
    const ImageAgreement a = agreementByAlpha(gpu, cpu);
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    saveForInspection(gpu, name + "_gpu");
    saveForInspection(cpu, name + "_cpu");
    std::printf("  GPU %d px, CPU %d px covered; IoU %.4f; shaded within 4/255: %.4f\n", a.coveredA, a.coveredB, a.iou,
                a.shadedWithin);
    EXPECT_GT(a.coveredB, kWidth * kHeight / 50) << "the reference sees the shape";
    EXPECT_GE(a.iou, 0.99) << "GPU covers " << a.coveredA << " px, CPU " << a.coveredB;
    EXPECT_GE(a.shadedWithin, 0.99);

    RaymarchSettings smaller = settings;
    smaller.isoLevel += kSharpness * 0.01f * kRadius;  // radius -1%
    const double wrongIou = agreementByAlpha(gpu, renderCpu(camera, smaller)).iou;
    EXPECT_LT(wrongIou, 0.99) << "the IoU check can fail";
    RaymarchSettings mirrored = settings;
    mirrored.light.keyFromCamera.x = -mirrored.light.keyFromCamera.x;
    const double wrongShading = agreementByAlpha(gpu, renderCpu(camera, mirrored)).shadedWithin;
    EXPECT_LT(wrongShading, 0.99) << "the shading check can fail";
    std::printf("  wrong references: radius -1%% IoU %.4f; key light mirrored: shaded within %.4f\n", wrongIou,
                wrongShading);
  }

  std::unique_ptr<VulkanContext> ctx_;
  std::unique_ptr<SharedTensor> grid_;
  std::unique_ptr<GridRaymarcher> marcher_;
  std::unique_ptr<OffscreenImage> image_;
  RaymarchSettings settings_;
};

TEST_F(GridRaymarchTest, SphereMatchesTheCpuReference) {
  OrbitCamera camera;  // azimuth 30, elevation 20, distance 1.8, target at the origin
  expectMatchesReference(camera.frame(), settings_);
}

TEST_F(GridRaymarchTest, SteepOffCentreCameraMatchesTheCpuReference) {
  OrbitCameraState s;
  s.azimuthDeg = -37;
  s.elevationDeg = 60;
  s.distance = 1.4f;
  s.target = {0.1f, -0.05f, 0.08f};
  s.fovYDeg = 35;
  expectMatchesReference(OrbitCamera(s).frame(), settings_);
}

TEST_F(GridRaymarchTest, ClipPlaneCutsTheSphereAndShowsTheCutFace) {
  OrbitCamera camera;
  RaymarchSettings clipped = settings_;
  clipped.clipPlane = glm::vec4(glm::normalize(glm::vec3(1, 0.2f, 0.5f)), -0.05f);
  expectMatchesReference(camera.frame(), clipped);
  const int full = coverage(renderGpu(camera.frame(), settings_));
  const int cut = coverage(renderGpu(camera.frame(), clipped));
  EXPECT_LT(cut, full) << "part of the silhouette is gone";
  EXPECT_GT(cut, full / 3);
}

// The silhouette of a sphere of radius r seen from distance D (centred) is a disc of
// tan(asin(r / D)) / tan(fov / 2) half-heights: the iso-level moves r without a re-bake.
TEST_F(GridRaymarchTest, IsoLevelGrowsAndShrinksTheSilhouetteWithoutRebaking) {
  OrbitCamera camera;
  const CameraFrame frame = camera.frame();
  const float D = camera.state().distance;
  for (const float radius : {0.25f, 0.3f, 0.35f}) {
    RaymarchSettings s = settings_;
    s.isoLevel = kSharpness * (kRadius - radius);  // k (r0 - |x|) > iso  <=>  |x| < r0 - iso / k
    const auto gpu = renderGpu(frame, s, radius > 0.3f ? 1 : 0);
    const double discRadiusPx = std::tan(std::asin(radius / D)) / frame.tanHalfFovY * (kHeight / 2.0);
    const double expected = M_PI * discRadiusPx * discRadiusPx;
    EXPECT_NEAR(coverage(gpu) / expected, 1.0, 0.01) << "radius " << radius;
    const ImageAgreement ref = agreementByAlpha(gpu, renderCpu(frame, s));
    std::printf("  radius %.2f: %d px covered, disc %.0f px; IoU %.4f, shaded within %.4f\n", radius, coverage(gpu),
                expected, ref.iou, ref.shadedWithin);
    saveForInspection(gpu, "iso_radius_" + std::to_string(radius).substr(0, 4));
    EXPECT_GE(ref.iou, 0.99) << "radius " << radius;
    EXPECT_GE(ref.shadedWithin, 0.99) << "radius " << radius;
  }
}

// Jumping over empty coarse cells only skips samples that are outside: the picture is the one
// a march through every step gives (up to where the bisection lands within a step).
TEST_F(GridRaymarchTest, EmptySpaceSkippingChangesNothingVisible) {
  OrbitCameraState s;
  s.azimuthDeg = 75;
  s.elevationDeg = -30;
  s.distance = 1.2f;
  const CameraFrame frame = OrbitCamera(s).frame();
  RaymarchSettings every = settings_;
  every.skipEmptySpace = false;
  const ImageAgreement a = agreementByAlpha(renderGpu(frame, settings_), renderGpu(frame, every, 1));
  std::printf("  skipping vs every step: IoU %.5f, shaded within %.5f\n", a.iou, a.shadedWithin);
  EXPECT_GT(a.coveredA, kWidth * kHeight / 20);
  EXPECT_GE(a.iou, 0.998);
  EXPECT_GE(a.shadedWithin, 0.998);
}

}  // namespace
}  // namespace fieldscope
