// The volume marcher (render/volume_raymarcher.h, shaders/raymarch_volume.comp) against its CPU
// twin (render/volume_march_cpu.*) on a synthetic density + colour grid (two soft coloured
// spheres and a cube, n = 48, h = 1.5, tests/vulkan/volume_scene.h) in the colour, depth and
// opacity modes; the skipping changes nothing; a homogeneous box gives the closed-form
// transmittance; rays that miss the box show the background; a camera inside the volume and the
// field-of-view limits work. Validation layers on, no errors allowed.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "cuda_interop/shared_tensor_torch.h"
#include "model/io/png_file.h"
#include "model/nerf/grid_volume_render.h"
#include "model/nerf/nerf_field.h"
#include "render/offscreen_image.h"
#include "render/volume_march_cpu.h"
#include "render/volume_raymarcher.h"
#include "test_support.h"
#include "tests/vulkan/test_context.h"
#include "tests/vulkan/volume_scene.h"

namespace fieldscope {
namespace {
using testing::analyticVolume;
using testing::maxChannelDifference;
using testing::pixelsNotBackground;
using testing::psnrRgb;

constexpr int kVolN = 48;
constexpr float kVolBox = 1.5f;
constexpr int kVolW = 160, kVolH = 120;
constexpr double kVolMinPsnr = 40.0;

void saveVolumeForInspection(const std::vector<uint8_t>& rgba, int w, int h, const std::string& name) {
  const char* dir = std::getenv("FIELDSCOPE_TEST_IMAGES");
  if (!dir || !*dir) return;
  writePng(std::filesystem::path(dir) / (name + ".png"), {w, h, rgba});
}

class VolumeRaymarchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = testing::makeValidatedContext();
    marcher_ = std::make_unique<VolumeRaymarcher>(*ctx_);
    setGrid(analyticVolume(kVolN, kVolBox), kVolN);
    settings_.background = {0.1f, 0.12f, 0.15f, 1.0f};
    for (int k = 0; k < 3; ++k) bg_[k] = uint8_t(settings_.background[k] * 255.0f + 0.5f);
  }
  void TearDown() override {
    marcher_.reset();
    EXPECT_EQ(ctx_->validationErrors(), 0);
  }

  // Writes the grid through torch (as the NeRF domain's bake does) and hands it to the marcher.
  void setGrid(std::vector<float> values, int n) {
    values_ = std::move(values);
    grid_ = SharedTensor::create(ctx_->ref(), {n, n, n, 4}, SharedScalar::Float32);
    {
      torch::NoGradGuard noGrad;
      asTensor(*grid_).copy_(torch::from_blob(values_.data(), {n, n, n, 4}, torch::kFloat32));
    }
    grid_->torchWritesDone();
    marcher_->setGrid(*grid_, kVolBox);
  }

  std::vector<uint8_t> renderGpu(const CameraFrame& camera, const RaymarchSettings& s, int w = kVolW, int h = kVolH,
                                 int slot = 0) {
    if (!image_ || int(image_->width()) != w || int(image_->height()) != h)
      image_ = std::make_unique<OffscreenImage>(*ctx_, uint32_t(w), uint32_t(h));
    ctx_->submitAndWait([&](VkCommandBuffer cmd) { marcher_->record(cmd, *image_, camera, s, slot); },
                        {grid_->vulkanWait()});
    return image_->readback(*ctx_);
  }
  std::vector<uint8_t> renderCpu(const CameraFrame& camera, const RaymarchSettings& s, int w = kVolW,
                                 int h = kVolH, const float* grid = nullptr) const {
    return volumeMarchOnCpu(raymarchUniforms(camera, s, marcher_->geometry(), w, h), grid ? grid : values_.data(), 2);
  }
  // GPU and CPU twin agree to kVolMinPsnr; returns the GPU picture.
  std::vector<uint8_t> expectMatchesTwin(const CameraFrame& camera, const RaymarchSettings& s, const std::string& what,
                                         int w = kVolW, int h = kVolH) {
    const auto gpu = renderGpu(camera, s, w, h);
    const auto cpu = renderCpu(camera, s, w, h);
    const double psnr = psnrRgb(gpu, cpu);
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    saveVolumeForInspection(gpu, w, h, name + "_" + what + "_gpu");
    saveVolumeForInspection(cpu, w, h, name + "_" + what + "_cpu");
    std::printf("  %s: PSNR %.2f dB, max difference %d/255, %d px not background\n", what.c_str(), psnr,
                maxChannelDifference(gpu, cpu), pixelsNotBackground(gpu, bg_));
    EXPECT_GE(psnr, kVolMinPsnr) << what;
    return gpu;
  }

  std::unique_ptr<VulkanContext> ctx_;
  std::unique_ptr<VolumeRaymarcher> marcher_;
  std::vector<float> values_;
  std::unique_ptr<SharedTensor> grid_;
  std::unique_ptr<OffscreenImage> image_;
  RaymarchSettings settings_;
  uint8_t bg_[3] = {0, 0, 0};
};

OrbitCameraState viewOfTheScene() {
  OrbitCameraState s;
  s.azimuthDeg = 30;
  s.elevationDeg = 20;
  s.distance = 4.0f;
  s.fovYDeg = 45;
  return s;
}

TEST_F(VolumeRaymarchTest, ColourDepthAndOpacityMatchTheCpuTwin) {
  const CameraFrame camera = OrbitCamera(viewOfTheScene()).frame();
  std::vector<uint8_t> pictures[3];
  for (int mode : {VOLUME_MODE_COLOUR, VOLUME_MODE_DEPTH, VOLUME_MODE_OPACITY}) {
    RaymarchSettings s = settings_;
    s.renderMode = mode;
    pictures[mode] = expectMatchesTwin(camera, s, mode == 0 ? "colour" : mode == 1 ? "depth" : "opacity");
    EXPECT_GT(pixelsNotBackground(pictures[mode], bg_), kVolW * kVolH / 10) << "the scene is seen";
  }
  EXPECT_NE(pictures[0], pictures[1]);
  EXPECT_NE(pictures[0], pictures[2]);
  // The check can fail: a twin that sees twice the density is far off.
  std::vector<float> denser = values_;
  for (size_t i = 0; i < denser.size(); i += 4) denser[i] *= 2.0f;
  const double wrong = psnrRgb(pictures[0], renderCpu(camera, settings_, kVolW, kVolH, denser.data()));
  std::printf("  against a twin with twice the density: PSNR %.2f dB\n", wrong);
  EXPECT_LT(wrong, 30.0);
}

TEST_F(VolumeRaymarchTest, EmptySpaceSkippingChangesNothing) {
  OrbitCameraState v = viewOfTheScene();
  v.azimuthDeg = 75;
  v.elevationDeg = -30;
  v.distance = 3.2f;
  const CameraFrame camera = OrbitCamera(v).frame();
  for (int mode : {VOLUME_MODE_COLOUR, VOLUME_MODE_DEPTH, VOLUME_MODE_OPACITY}) {
    RaymarchSettings skip = settings_, every = settings_;
    skip.renderMode = every.renderMode = mode;
    every.skipEmptySpace = false;
    const auto a = renderGpu(camera, skip), b = renderGpu(camera, every, kVolW, kVolH, 1);
    std::printf("  mode %d: skipping vs every sample: max difference %d/255\n", mode, maxChannelDifference(a, b));
    EXPECT_LE(maxChannelDifference(a, b), 1) << "mode " << mode;
    EXPECT_GT(pixelsNotBackground(a, bg_), kVolW * kVolH / 10);
  }
}

// A box of uniform density sigma and colour c seen straight on through its centre: K samples
// dt apart, T = exp(-sigma dt)^K, colour c (1 - T) + T bg; the expected depth is the weighted
// mean of the samples' t.
TEST_F(VolumeRaymarchTest, AHomogeneousBoxGivesTheClosedFormCompositing) {
  const float sigma = 0.5f, c[3] = {0.8f, 0.4f, 0.2f};
  std::vector<float> uniform(size_t(kVolN) * kVolN * kVolN * 4);
  for (size_t i = 0; i < uniform.size(); i += 4) {
    uniform[i] = sigma;
    for (int k = 0; k < 3; ++k) uniform[i + 1 + k] = c[k];
  }
  setGrid(uniform, kVolN);
  CameraFrame camera{};
  camera.origin = {0, 0, 5};
  camera.forward = {0, 0, -1};
  camera.right = {1, 0, 0};
  camera.up = {0, 1, 0};
  camera.tanHalfFovY = 0.3f;
  const int W = 33, H = 33;  // the centre pixel's ray is the axis
  const double dt = settings_.stepVoxels * 2.0 * kVolBox / kVolN, t0 = 5.0 - kVolBox, length = 2.0 * kVolBox;
  double T = 1, D = 0;
  for (int k = 0; (k + 0.5) * dt < length; ++k) {
    const double alpha = 1 - std::exp(-sigma * dt);
    D += T * alpha * (t0 + (k + 0.5) * dt);
    T *= 1 - alpha;
  }
  EXPECT_NEAR(T, std::exp(-sigma * length), 1e-6) << "96 samples span the box exactly";
  const size_t centre = (size_t(H / 2) * W + W / 2) * 4;
  for (int mode : {VOLUME_MODE_COLOUR, VOLUME_MODE_DEPTH, VOLUME_MODE_OPACITY}) {
    RaymarchSettings s = settings_;
    s.renderMode = mode;
    const auto gpu = renderGpu(camera, s, W, H);
    const auto cpu = renderCpu(camera, s, W, H);
    EXPECT_GE(psnrRgb(gpu, cpu), kVolMinPsnr) << "mode " << mode;
    double expected[3];
    for (int k = 0; k < 3; ++k) {
      const double bg = settings_.background[k];
      if (mode == VOLUME_MODE_COLOUR) expected[k] = c[k] * (1 - T) + T * bg;
      if (mode == VOLUME_MODE_OPACITY) expected[k] = (1 - T) + T * bg;
      if (mode == VOLUME_MODE_DEPTH) {
        const double r = std::sqrt(3.0) * kVolBox, z = D / (1 - T);
        expected[k] = 1 - std::clamp((z - (5.0 - r)) / (2 * r), 0.0, 1.0);
      }
    }
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(gpu[centre + k], expected[k] * 255, 1.0) << "mode " << mode << " channel " << k;
      EXPECT_NEAR(cpu[centre + k], expected[k] * 255, 1.0) << "mode " << mode << " channel " << k;
    }
  }
}

TEST_F(VolumeRaymarchTest, RaysThatMissTheBoxShowTheBackground) {
  CameraFrame away{};
  away.origin = {0, 0, 5};
  away.forward = {0, 0, 1};  // looking away from the box
  away.right = {-1, 0, 0};
  away.up = {0, 1, 0};
  away.tanHalfFovY = 0.5f;
  const uint8_t bgAlpha = uint8_t(settings_.background[3] * 255.0f + 0.5f);
  for (int mode : {VOLUME_MODE_COLOUR, VOLUME_MODE_DEPTH, VOLUME_MODE_OPACITY}) {
    RaymarchSettings s = settings_;
    s.renderMode = mode;
    const auto img = renderGpu(away, s);
    EXPECT_EQ(pixelsNotBackground(img, bg_), 0) << "mode " << mode;
    for (size_t i = 3; i < img.size(); i += 4) ASSERT_EQ(img[i], bgAlpha);
    EXPECT_EQ(img, renderCpu(away, s));
  }
  // Far away the box is small: the corners miss it, the centre does not.
  OrbitCameraState far = viewOfTheScene();
  far.distance = 20.0f;
  const auto img = expectMatchesTwin(OrbitCamera(far).frame(), settings_, "far");
  for (size_t p : {size_t(0), size_t(kVolW - 1), size_t(kVolW) * (kVolH - 1)})
    for (int k = 0; k < 3; ++k) EXPECT_EQ(img[p * 4 + k], bg_[k]);
  EXPECT_GT(pixelsNotBackground(img, bg_), 0);
}

TEST_F(VolumeRaymarchTest, ACameraInsideTheVolumeWorks) {
  // Inside the box, near the blue sphere and looking at it (through the red one behind it).
  OrbitCameraState s;
  s.target = {0.6f, -0.25f, 0.3f};
  s.azimuthDeg = -80;
  s.elevationDeg = 5;
  s.distance = 1.0f;
  const CameraFrame camera = OrbitCamera(s).frame();
  ASSERT_LT(std::max({std::abs(camera.origin.x), std::abs(camera.origin.y), std::abs(camera.origin.z)}), kVolBox);
  for (int mode : {VOLUME_MODE_COLOUR, VOLUME_MODE_DEPTH, VOLUME_MODE_OPACITY}) {
    RaymarchSettings r = settings_;
    r.renderMode = mode;
    const auto img = expectMatchesTwin(camera, r, "inside_mode" + std::to_string(mode));
    // A NaN would not pack to an opaque pixel: with an opaque background every pixel is opaque.
    for (size_t i = 3; i < img.size(); i += 4) ASSERT_EQ(img[i], 255) << "pixel " << i / 4;
    EXPECT_GT(pixelsNotBackground(img, bg_), kVolW * kVolH / 4) << "mode " << mode;
  }
}

TEST_F(VolumeRaymarchTest, TheFieldOfViewLimitsWork) {
  for (float fov : {OrbitCamera::kMinFovDeg, OrbitCamera::kMaxFovDeg}) {
    OrbitCameraState s = viewOfTheScene();
    s.fovYDeg = fov;
    s.distance = fov < 10 ? 5.0f : 1.8f;  // 120 degrees: from inside the box
    const auto img = expectMatchesTwin(OrbitCamera(s).frame(), settings_, "fov" + std::to_string(int(fov)));
    EXPECT_GT(pixelsNotBackground(img, bg_), kVolW * kVolH / 20) << "fov " << fov;
  }
}

// Not a test: the frame time of a 1280x720 march of a 128^3 volume (run with
// --gtest_also_run_disabled_tests).
// The CPU march with the shader's empty-space skipping (the command line's baked pictures and
// turntables) draws the full march's picture.
TEST_F(VolumeRaymarchTest, TheCpuMarchWithSkippingDrawsTheFullMarch) {
  for (const OrbitCameraState& s : {viewOfTheScene(), OrbitCameraState{200, -30, 3.0f, {0.2f, 0, 0}, 60}}) {
    const auto u = raymarchUniforms(OrbitCamera(s).frame(), settings_, marcher_->geometry(), kVolW, kVolH);
    const auto full = volumeMarchOnCpu(u, values_.data(), 2);
    const auto skipped = volumeMarchOnCpu(u, values_.data(), volumeSkipGrid(values_.data(), kVolN), 2);
    EXPECT_LE(maxChannelDifference(full, skipped), 1);
    EXPECT_GT(pixelsNotBackground(full, bg_), kVolW * kVolH / 20);
  }
}

// The must-show of the NeRF domain (docs/architecture.md "The NeRF domain"): a grid baked from a
// NeRF field by the domain's own bake (model/nerf/nerf_field.h) and marched by the shader agrees
// with the torch renderer of the same grid (model/nerf/grid_volume_render.h) -- the renderer the
// command line's baked pictures and turntables use -- for an analytic ball and for a NeRF MLP.
TEST_F(VolumeRaymarchTest, TheShaderAndTheTorchRendererAgreeOnABakedNerfGrid) {
  const int n = 64;
  const NerfField nerf = makeNerfField(NerfConfig::preset_("tiny"), 3);
  const FieldQuery ball = [](const torch::Tensor& p, const torch::Tensor&) {
    const torch::Tensor r = p.norm(2, -1);
    return NerfSamples{30.0 * torch::sigmoid((0.7 - r) * 20.0), ((p / 0.7) * 0.5 + 0.5).clamp(0, 1)};
  };
  const CameraFrame camera = OrbitCamera(viewOfTheScene()).frame();
  RayCamera rays;
  rays.origin = {camera.origin.x, camera.origin.y, camera.origin.z};
  rays.right = {camera.right.x, camera.right.y, camera.right.z};
  rays.up = {camera.up.x, camera.up.y, camera.up.z};
  rays.forward = {camera.forward.x, camera.forward.y, camera.forward.z};
  rays.tanHalfFovY = camera.tanHalfFovY;
  for (const auto& [name, field] : {std::pair<std::string, FieldQuery>{"ball", ball}, {"nerf-mlp", nerf.asQuery()}}) {
    grid_ = SharedTensor::create(ctx_->ref(), {n, n, n, 4}, SharedScalar::Float32);
    ASSERT_TRUE(bakeVolume(field, n, kVolBox, {0, 0, -1}, asTensor(*grid_), false));
    grid_->torchWritesDone();
    marcher_->setGrid(*grid_, kVolBox);
    RaymarchSettings s = settings_;
    s.renderMode = VOLUME_MODE_COLOUR;
    const auto gpu = renderGpu(camera, s);
    const RenderedRays t = renderGridRays(asTensor(*grid_).clone(), kVolBox, pixelRays(rays, kVolW, kVolH), 0.5,
                                          {s.background[0], s.background[1], s.background[2]});
    const torch::Tensor rgb8 = (t.rgb.clamp(0, 1) * 255.0 + 0.5).to(torch::kUInt8).contiguous();
    std::vector<uint8_t> torchPicture(size_t(kVolW) * kVolH * 4, 255);
    for (size_t i = 0; i < size_t(kVolW) * kVolH; ++i)
      for (int k = 0; k < 3; ++k) torchPicture[4 * i + k] = rgb8.data_ptr<uint8_t>()[3 * i + k];
    const double psnr = psnrRgb(gpu, torchPicture);
    std::printf("  %s: shader vs torch PSNR %.2f dB, %d px not background\n", name.c_str(), psnr, pixelsNotBackground(gpu, bg_));
    EXPECT_GE(psnr, 35.0) << name;
    EXPECT_GT(pixelsNotBackground(gpu, bg_), kVolW * kVolH / 20) << name;
  }
}

TEST_F(VolumeRaymarchTest, DISABLED_FrameTime1280x720n128) {
  setGrid(analyticVolume(128, kVolBox), 128);
  const CameraFrame camera = OrbitCamera(viewOfTheScene()).frame();
  for (bool skip : {true, false}) {
    RaymarchSettings s = settings_;
    s.skipEmptySpace = skip;
    renderGpu(camera, s, 1280, 720);  // the first submit compiles the shader
    const int frames = 3;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < frames; ++i) renderGpu(camera, s, 1280, 720);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / frames;
    std::printf("  1280x720, n = 128, %s: %.1f ms a frame (with the read-back)\n",
                skip ? "skipping" : "every sample", ms);
  }
}

}  // namespace
}  // namespace fieldscope
