// GridView3D (app/views/grid_view3d.*) headless on the Vulkan device (lavapipe here), frame by
// frame as the app drives it: the picture at rest matches the CPU reference
// (render/raymarch_cpu.*); the old grid stays on screen until a new one -- even of
// another size -- is published, and beginGrid never hands out memory a frame in flight may
// still read; iso-level, clip plane and render mode change the picture with no new grid; a
// moving camera marches a reduced picture, a resting one the full one; the PNG export (in
// bands between frames) equals a full render, and a cancelled export writes nothing. Validation
// layers on, no errors allowed (a grid freed under a frame in flight would be one).
// GridView3DVolumeTest: the same view over a density + colour grid (GridFormat::DensityColour,
// NeRF's) against the volume marcher's CPU twin, through GridView3DDomainView too.
#include <gtest/gtest.h>
#include "tests/vulkan/image_agreement.h"
#include <torch/torch.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/gui/export_job.h"
#include "app/views/grid_view3d.h"
#include "app/views/grid_view3d_domain_view.h"
#include "cuda_interop/shared_tensor_torch.h"
#include "model/io/png_file.h"
#include "model/util/compute_options.h"
#include "render/raymarch_cpu.h"
#include "render/volume_march_cpu.h"
#include "render/context.h"
#include "render/offscreen_image.h"
#include "test_support.h"
#include "tests/vulkan/test_context.h"
#include "tests/vulkan/volume_scene.h"

namespace fieldscope {
namespace {
using testing::agreementOverBackground;
using testing::ImageAgreement;

constexpr int kW = 256, kH = 192;

// Logits k (r - |x - c|) baked through the target's torch view (as a domain's bake does).
void bakeSphere(GridTarget& t, float radius, float cx = 0.0f) {
  torch::NoGradGuard noGrad;
  const int n = t.n();
  const double h = t.halfExtent();
  const auto c = (torch::arange(n, torch::kFloat32) + 0.5) * (2.0 * h / n) - h;
  const auto z = c.view({n, 1, 1}), y = c.view({1, n, 1}), x = c.view({1, 1, n}) - cx;
  asTensor(t.shared()).copy_(40.0f * (radius - (x * x + y * y + z * z).sqrt()));
  t.writesDone();
}

class GridView3DTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = testing::makeValidatedContext();
    services_ = std::make_unique<ViewServices>(ViewServices{*ctx_, compute_});
    view_ = std::make_unique<GridView3D>(*services_, options());
    target_ = std::make_unique<OffscreenImage>(*ctx_, kW, kH);
    const RaymarchSettings s;
    for (int k = 0; k < 3; ++k) bg_[k] = uint8_t(std::clamp(s.background[k], 0.0f, 1.0f) * 255.0f + 0.5f);
  }
  virtual GridView3DOptions options() const { return {}; }
  void TearDown() override {
    view_.reset();
    EXPECT_EQ(ctx_->validationErrors(), 0);
  }

  // One frame as the app draws it; `completed`: frames the GPU has finished as the app knows it
  // (default: all but this one's predecessor, as with two frames in flight).
  std::vector<uint8_t> frame(double dt = 0.05, int64_t completed = -1) {
    now_ += dt;
    view_->update(kW, kH, now_);
    ++number_;
    FrameContext f;
    f.target = target_.get();
    f.frame = number_;
    f.completedFrame = completed >= 0 ? uint64_t(completed) : number_ >= 2 ? number_ - 2 : 0;
    f.slot = int(number_ % kFramesInFlight);
    ctx_->submitAndWait(
        [&](VkCommandBuffer cmd) {
          f.cmd = cmd;
          view_->record(f);
        },
        view_->waits());
    return target_->readback(*ctx_);
  }
  // Frames until the camera rests and the full-resolution frame is on screen.
  std::vector<uint8_t> rest() {
    std::vector<uint8_t> img = frame(GridView3D::kSettleSeconds + 0.01);
    for (int i = 0; i < 5 && !view_->progress().detailComplete; ++i) img = frame(GridView3D::kSettleSeconds + 0.01);
    EXPECT_TRUE(view_->progress().detailComplete);
    return img;
  }
  std::vector<uint8_t> reference(const GridTarget& grid, int w = kW, int h = kH) const {
    return raymarchOnCpu(raymarchUniforms(view_->camera().frame(), view_->settings(), {grid.n(), grid.halfExtent()}, w, h),
                             static_cast<const float*>(grid.shared().torchData()));
  }
  void expectMatches(const std::vector<uint8_t>& gpu, const std::vector<uint8_t>& cpu, const char* what) {
    const ImageAgreement a = agreementOverBackground(gpu, cpu, bg_);
    std::printf("  %s: GPU %d px, CPU %d px; IoU %.4f, shaded within 4/255 %.4f\n", what, a.coveredA, a.coveredB, a.iou,
                a.shadedWithin);
    EXPECT_GT(a.coveredB, 500) << what;
    EXPECT_GE(a.iou, 0.99) << what;
    EXPECT_GE(a.shadedWithin, 0.99) << what;
  }
  GridTargetPtr publishSphere(int n, float radius, float cx = 0.0f) {
    GridTargetPtr t = view_->beginGrid(n);
    bakeSphere(*t, radius, cx);
    EXPECT_TRUE(view_->publishGrid(t));
    return t;
  }

  std::unique_ptr<VulkanContext> ctx_;
  ComputeOptions compute_;
  std::unique_ptr<ViewServices> services_;
  std::unique_ptr<GridView3D> view_;
  std::unique_ptr<OffscreenImage> target_;
  uint8_t bg_[3] = {0, 0, 0};
  double now_ = 10.0;
  uint64_t number_ = 0;
};

TEST_F(GridView3DTest, ThePictureAtRestMatchesTheCpuReference) {
  const std::vector<uint8_t> empty = frame();
  EXPECT_EQ(agreementOverBackground(empty, empty, bg_).coveredA, 0) << "no grid yet: the background";
  EXPECT_TRUE(view_->progress().converged) << "nothing is coming";
  GridTargetPtr grid = publishSphere(128, 0.3f);
  EXPECT_FALSE(view_->progress().converged);
  const auto img = rest();
  EXPECT_TRUE(view_->progress().converged);
  EXPECT_EQ(view_->gridsPublished(), 1u);
  expectMatches(img, reference(*grid), "sphere 128^3");
}

TEST_F(GridView3DTest, TheOldGridStaysOnScreenUntilTheNewOneIsPublished) {
  GridTargetPtr a = publishSphere(128, 0.3f);
  const auto before = rest();
  GridTargetPtr b = view_->beginGrid(96);  // another size: a new buffer, written while A shows
  EXPECT_NE(&a->shared(), &b->shared());
  bakeSphere(*b, 0.2f, 0.15f);
  EXPECT_TRUE(view_->bakeOutstanding());
  EXPECT_FALSE(view_->progress().converged) << "a bake is out";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(frame(), before) << "A stays while B is not published";
  EXPECT_TRUE(view_->publishGrid(b));
  const GridTarget& shown = *b;
  b.reset();
  a.reset();
  const auto after = frame();  // the swap: at this frame boundary, no waiting
  EXPECT_EQ(view_->gridN(), 96);
  EXPECT_EQ(view_->gridsPublished(), 2u);
  expectMatches(after, reference(shown), "sphere B 96^3 right after the swap");
  EXPECT_NE(after, before);
  // An older target published after a newer one is dropped.
  GridTargetPtr c = view_->beginGrid(96);
  GridTargetPtr d = view_->beginGrid(64);
  bakeSphere(*d, 0.25f);
  EXPECT_TRUE(view_->publishGrid(d));
  bakeSphere(*c, 0.1f);
  EXPECT_FALSE(view_->publishGrid(c)) << "c was begun before d, which is published";
  frame();
  EXPECT_EQ(view_->gridN(), 64);
}

TEST_F(GridView3DTest, BeginGridNeverHandsOutAGridAFrameInFlightMayRead) {
  GridTargetPtr a = publishSphere(64, 0.3f);
  const SharedTensor* aMemory = &a->shared();
  a.reset();
  frame();  // frame 1 reads A
  frame();  // frame 2 reads A
  GridTargetPtr b = publishSphere(64, 0.2f);
  b.reset();
  frame(0.05, /*completed*/ 1);  // frame 3 shows B; frame 2 (A) may still run
  GridTargetPtr c = view_->beginGrid(64);
  EXPECT_NE(&c->shared(), aMemory) << "A is still read by frame 2";
  c.reset();  // abandoned
  frame(0.05, /*completed*/ 3);  // the GPU is past every frame that read A
  GridTargetPtr d = view_->beginGrid(64);
  EXPECT_EQ(&d->shared(), aMemory) << "A is idle now: reused";
  // Only idle buffers are reused: never the one on screen.
  GridTargetPtr e = view_->beginGrid(64);
  EXPECT_NE(&e->shared(), &d->shared());
  // Too big for this device or this memory: refused with the numbers, nothing changes.
  if (view_->maxGridN() < GridView3D::kMaxGridN) {
    try {
      view_->beginGrid(view_->maxGridN() + 1);
      ADD_FAILURE() << "a grid over the device's limit was handed out";
    } catch (const std::runtime_error& ex) {
      std::printf("  refused: %s\n", ex.what());
      EXPECT_NE(std::string(ex.what()).find("MB"), std::string::npos);
    }
  }
  EXPECT_EQ(view_->gridN(), 64);
}

TEST_F(GridView3DTest, IsoClipAndModeChangeThePictureWithoutANewGrid) {
  GridTargetPtr grid = publishSphere(128, 0.3f);
  const auto base = rest();
  view_->setIso(0.2f);  // probability 0.2: logit -1.39, a bigger sphere
  const auto bigger = rest();
  EXPECT_GT(agreementOverBackground(bigger, bigger, bg_).coveredA, agreementOverBackground(base, base, bg_).coveredA);
  expectMatches(bigger, reference(*grid), "iso p 0.2");
  ClipState clip;
  clip.enabled = true;
  clip.axis = ClipAxis::View;
  clip.viewNormal = -view_->camera().frame().forward;
  clip.offset = 0.0f;
  view_->setClip(clip);
  const auto cut = rest();
  expectMatches(cut, reference(*grid), "clipped towards the camera");
  EXPECT_NE(cut, bigger);
  view_->setRenderMode(RAYMARCH_MODE_NORMALS);
  expectMatches(rest(), reference(*grid), "normals");
  view_->setRenderMode(RAYMARCH_MODE_DEPTH);
  expectMatches(rest(), reference(*grid), "depth");
  EXPECT_EQ(view_->gridsPublished(), 1u) << "no new grid for any of it";
}

TEST_F(GridView3DTest, AMovingCameraMarchesAReducedPictureAndARestingOneTheFullOne) {
  GridTargetPtr grid = publishSphere(128, 0.3f, 0.1f);
  rest();
  ViewportInput in;
  in.width = kW;
  in.height = kH;
  in.now = now_;
  in.dragX = 12;  // orbit
  view_->input(in);
  EXPECT_TRUE(view_->animating());
  const auto moving = frame(0.01);
  auto numbers = view_->perfNumbers();
  auto number = [&](const char* k) {
    for (const auto& [name, v] : numbers)
      if (name == k) return v;
    return -1.0;
  };
  EXPECT_LT(number("shown_width"), kW);
  EXPECT_EQ(number("moving_width"), number("shown_width"));
  EXPECT_FALSE(view_->progress().detailComplete);
  const auto still = rest();
  numbers = view_->perfNumbers();
  EXPECT_EQ(number("shown_width"), kW);
  EXPECT_TRUE(view_->progress().converged);
  expectMatches(still, reference(*grid), "at rest after an orbit");
  const ImageAgreement a = agreementOverBackground(moving, still, bg_);
  std::printf("  reduced moving picture vs the full one: IoU %.3f\n", a.iou);
  EXPECT_GT(a.iou, 0.9) << "the reduced picture, stretched, is the same view";
  const uint64_t marches = uint64_t(number("marches"));
  frame();
  frame();
  numbers = view_->perfNumbers();
  EXPECT_EQ(uint64_t(number("marches")), marches) << "a resting picture is marched once, then kept";
  // Pan, dolly, keys and framing move the camera; state round trip restores it.
  in.dragX = 0;
  in.panDragX = 20;
  in.hovered = true;
  in.wheel = 2;
  in.panKeyX = 1;
  const OrbitCameraState before = view_->camera().state();
  view_->input(in);
  EXPECT_NE(view_->camera().state().target, before.target);
  EXPECT_LT(view_->camera().state().distance, before.distance);
  ViewportInput f;
  f.width = kW;
  f.height = kH;
  f.frameKey = true;
  view_->input(f);
  frame();
  EXPECT_NEAR(view_->camera().state().target.x, 0.1f, 0.01f) << "framed on the sphere's centre";
  const nlohmann::json saved = view_->saveState();
  const auto framed = rest();
  view_->resetCamera();
  EXPECT_NE(rest(), framed);
  view_->restoreState(saved);
  EXPECT_EQ(rest(), framed) << "the restored state draws the same picture";
}

TEST_F(GridView3DTest, ThePngExportEqualsAFullRenderAndACancelledOneWritesNothing) {
  GridTargetPtr grid = publishSphere(128, 0.3f);
  rest();
  const auto dir = std::filesystem::temp_directory_path() / ("grid-view3d-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const int W = 1200, H = 500;  // 3 bands of 218 rows
  auto progress = view_->exportPng((dir / "view.png").string(), W, H);
  EXPECT_THROW(view_->exportPng((dir / "other.png").string(), 10, 10), std::runtime_error) << "one at a time";
  EXPECT_TRUE(view_->animating()) << "the app draws frames while exporting";
  GridTargetPtr next = view_->beginGrid(128);
  bakeSphere(*next, 0.1f);
  view_->publishGrid(next);  // a new grid during the export: the export keeps its own
  next.reset();
  for (int i = 0; i < 40 && !progress->finished; ++i) {
    frame();
    if (!progress->finished) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(progress->finished);
  EXPECT_TRUE(progress->ok) << progress->message;
  EXPECT_EQ(progress->rowsDone.load(), H);
  const Rgba8Image png = readImageRgba8(dir / "view.png");
  ASSERT_EQ(png.width, W);
  ASSERT_EQ(png.height, H);
  expectMatches(png.pixels, reference(*grid, W, H), "export 1200x500 in bands");
  const nlohmann::json side = nlohmann::json::parse(std::ifstream(dir / "view.png.json"));
  EXPECT_EQ(side["grid"]["n"], 128);
  EXPECT_TRUE(side.contains("view3d"));

  auto cancelled = view_->exportPng((dir / "cancelled.png").string(), 2000, 3000);
  frame();
  cancelled->cancel = true;
  for (int i = 0; i < 10 && !cancelled->finished; ++i) frame();
  ASSERT_TRUE(cancelled->finished);
  EXPECT_FALSE(cancelled->ok);
  EXPECT_NE(cancelled->message.find("cancelled"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "cancelled.png"));
  frame();
  EXPECT_FALSE(view_->exporting());
  EXPECT_THROW(view_->exportPng((dir / "x.png").string(), 0, 10), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fieldscope

namespace fieldscope {
namespace {
using testing::analyticVolume;
using testing::pixelsNotBackground;
using testing::psnrRgb;

// NeRF's view: a density + colour grid over [-1.5, 1.5]^3.
class GridView3DVolumeTest : public GridView3DTest {
 protected:
  static constexpr float kBox = 1.5f;
  GridView3DOptions options() const override {
    GridView3DOptions o;
    o.format = GridFormat::DensityColour;
    o.halfExtent = kBox;
    return o;
  }
  // Written through the target's torch view, (n, n, n, 4), as the NeRF domain's bake does.
  GridTargetPtr publishVolume(int n) {
    GridTargetPtr t = view_->beginGrid(n);
    std::vector<float> v = analyticVolume(n, t->halfExtent());
    {
      torch::NoGradGuard noGrad;
      torch::Tensor out = asTensor(t->shared());
      EXPECT_EQ(out.sizes(), torch::IntArrayRef({n, n, n, 4}));
      out.copy_(torch::from_blob(v.data(), {n, n, n, 4}, torch::kFloat32));
    }
    t->writesDone();
    EXPECT_TRUE(view_->publishGrid(t));
    return t;
  }
  std::vector<uint8_t> volumeReference(const GridTarget& grid, int w = kW, int h = kH) const {
    return volumeMarchOnCpu(
        raymarchUniforms(view_->camera().frame(), view_->settings(), {grid.n(), grid.halfExtent()}, w, h),
        static_cast<const float*>(grid.shared().torchData()), 2);
  }
  void expectNear(const std::vector<uint8_t>& gpu, const std::vector<uint8_t>& cpu, const char* what) {
    const double psnr = psnrRgb(gpu, cpu);
    std::printf("  %s: PSNR %.2f dB, %d px not background\n", what, psnr, pixelsNotBackground(gpu, bg_));
    EXPECT_GE(psnr, 40.0) << what;
    EXPECT_GT(pixelsNotBackground(gpu, bg_), kW * kH / 20) << what;
  }
};

TEST_F(GridView3DVolumeTest, ADensityColourGridIsMarchedEmissionAbsorption) {
  EXPECT_EQ(view_->format(), GridFormat::DensityColour);
  EXPECT_EQ(view_->renderModes(), (std::vector<std::string>{"colour", "depth", "opacity"}));
  EXPECT_EQ(GridView3D::gridBytes(64, GridFormat::DensityColour), 4 * GridView3D::gridBytes(64));
  GridTargetPtr grid = publishVolume(64);
  EXPECT_EQ(grid->channels(), 4);
  const auto colour = rest();
  expectNear(colour, volumeReference(*grid), "colour 64^3");
  view_->setRenderMode(VOLUME_MODE_DEPTH);
  expectNear(rest(), volumeReference(*grid), "depth");
  view_->setRenderMode(VOLUME_MODE_OPACITY);
  expectNear(rest(), volumeReference(*grid), "opacity");
  view_->setRenderMode(VOLUME_MODE_COLOUR);
  ClipState clip;
  clip.enabled = true;
  clip.axis = ClipAxis::View;
  clip.viewNormal = -view_->camera().frame().forward;
  view_->setClip(clip);
  const auto cut = rest();
  expectNear(cut, volumeReference(*grid), "clipped");
  EXPECT_NE(cut, colour);
  EXPECT_EQ(view_->gridsPublished(), 1u);
  EXPECT_NE(view_->status().find("density + colour"), std::string::npos) << view_->status();
}

TEST_F(GridView3DVolumeTest, TheDeviceLimitCountsFourChannels) {
  VkPhysicalDeviceProperties props{};
  vkGetPhysicalDeviceProperties(ctx_->physical(), &props);
  const int n = view_->maxGridN();
  EXPECT_LE(GridView3D::gridBytes(n, GridFormat::DensityColour), props.limits.maxStorageBufferRange);
  if (n < GridView3D::kMaxGridN) {
    EXPECT_GT(GridView3D::gridBytes(n + 1, GridFormat::DensityColour), props.limits.maxStorageBufferRange);
    try {
      view_->beginGrid(n + 1);
      ADD_FAILURE() << "a grid over the device's limit was handed out";
    } catch (const std::runtime_error& ex) {
      std::printf("  refused: %s\n", ex.what());
      EXPECT_NE(std::string(ex.what()).find("MB"), std::string::npos);
    }
  }
}

TEST_F(GridView3DVolumeTest, MovingFramingAndThePngExportWorkThroughTheVolumeMarcher) {
  GridTargetPtr grid = publishVolume(64);
  rest();
  ViewportInput in;
  in.width = kW;
  in.height = kH;
  in.now = now_;
  in.dragX = 12;
  view_->input(in);
  const auto moving = frame(0.01);
  EXPECT_FALSE(view_->progress().detailComplete) << "a reduced picture while moving";
  EXPECT_GT(pixelsNotBackground(moving, bg_), kW * kH / 20);
  const auto still = rest();
  expectNear(still, volumeReference(*grid), "at rest after an orbit");
  // F frames the voxels that absorb: their middle, not the box's (the cube on top lifts it to
  // y ~ 0.2; the negative corner absorbs nothing).
  ViewportInput f;
  f.width = kW;
  f.height = kH;
  f.frameKey = true;
  view_->input(f);
  expectNear(rest(), volumeReference(*grid), "framed");
  const OrbitCameraState framed = view_->camera().state();
  EXPECT_GT(framed.target.y, 0.1f);
  EXPECT_LT(framed.target.y, 0.3f);
  EXPECT_LT(framed.target.x, 0.1f) << "not pulled towards the negative corner";

  const auto dir = std::filesystem::temp_directory_path() / ("grid-view3d-volume-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const int W = 1200, H = 500;  // bands of 218 rows
  auto progress = view_->exportPng((dir / "volume.png").string(), W, H);
  for (int i = 0; i < 60 && !progress->finished; ++i) {
    frame();
    if (!progress->finished) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(progress->finished);
  EXPECT_TRUE(progress->ok) << progress->message;
  const Rgba8Image png = readImageRgba8(dir / "volume.png");
  ASSERT_EQ(png.width, W);
  ASSERT_EQ(png.height, H);
  const double psnr = psnrRgb(png.pixels, volumeReference(*grid, W, H));
  std::printf("  export %dx%d in bands: PSNR %.2f dB against the twin\n", W, H, psnr);
  EXPECT_GE(psnr, 40.0);
  const nlohmann::json side = nlohmann::json::parse(std::ifstream(dir / "volume.png.json"));
  EXPECT_EQ(side["grid"]["channels"], 4);
  std::filesystem::remove_all(dir);
}

// A 3D domain view over a density + colour grid needs nothing but the options.
class VolumeDomainView : public GridView3DDomainView {
 public:
  using GridView3DDomainView::GridView3DDomainView;
  std::string title() const override { return "volume"; }
  void drawPanels(std::string&) override {}
};

TEST_F(GridView3DVolumeTest, GridView3DDomainViewWorksUnchanged) {
  view_.reset();
  VolumeDomainView dv(*services_, options());
  dv.baker().request(48, [](GridTarget& t, const std::atomic<bool>&, std::atomic<float>&) {
    const std::vector<float> v = analyticVolume(t.n(), t.halfExtent());
    torch::NoGradGuard noGrad;
    asTensor(t.shared()).copy_(torch::from_blob(const_cast<float*>(v.data()), {t.n(), t.n(), t.n(), 4}, torch::kFloat32));
    return true;
  }, "analytic volume");
  std::vector<uint8_t> img;
  for (int i = 0; i < 200 && !(dv.view3d().gridN() == 48 && dv.progress().converged); ++i) {
    now_ += 0.2;
    dv.update(kW, kH, now_);
    ++number_;
    FrameContext f;
    f.target = target_.get();
    f.frame = number_;
    f.completedFrame = number_ >= 2 ? number_ - 2 : 0;
    f.slot = int(number_ % kFramesInFlight);
    ctx_->submitAndWait(
        [&](VkCommandBuffer cmd) {
          f.cmd = cmd;
          dv.record(f);
        },
        dv.waits());
    img = target_->readback(*ctx_);
    if (dv.view3d().gridN() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(dv.view3d().gridN(), 48);
  EXPECT_TRUE(dv.progress().converged);
  EXPECT_GT(pixelsNotBackground(img, bg_), kW * kH / 20);
  EXPECT_EQ(dv.saveState()["view3d"]["render"]["mode"], "colour");
  vkDeviceWaitIdle(ctx_->device());
}

// The exact still frame's plumbing (the NeRF view fills it through the MLP; here the test writes
// the rows): once the camera has rested kStillDelaySeconds with the full march on screen, the view
// hands out one StillFrame of its state; finished rows replace the march's rows on the next frame,
// top to bottom; the picture converges only with the last row and is then kept; any change
// cancels and drops it and the march shows again.
class GridView3DStillTest : public GridView3DVolumeTest {
 protected:
  GridView3DOptions options() const override {
    GridView3DOptions o = GridView3DVolumeTest::options();
    o.exactStill = true;
    return o;
  }
  static void fillRows(StillFrame& s, int from, int to) {
    for (int y = from; y < to; ++y)
      for (int x = 0; x < s.width(); ++x) {
        uint8_t* p = s.row(y) + 4 * x;
        p[0] = 255, p[1] = 0, p[2] = 255, p[3] = 255;
      }
    s.finishRows(to);
  }
  static bool magenta(const std::vector<uint8_t>& img, int x, int y) {
    const uint8_t* p = img.data() + (size_t(y) * kW + x) * 4;
    return p[0] == 255 && p[1] == 0 && p[2] == 255;
  }
};

TEST_F(GridView3DStillTest, FinishedRowsReplaceTheMarchAndAChangeDropsThem) {
  GridTargetPtr grid = publishVolume(64);
  const std::vector<uint8_t> march = rest();
  EXPECT_FALSE(view_->progress().converged) << "the exact frame is still to come";
  StillFramePtr still;
  for (int i = 0; i < 10 && !still; ++i) {
    frame(0.1);
    still = view_->takeStillRequest();
  }
  ASSERT_TRUE(still) << "no still frame after a second at rest";
  EXPECT_EQ(still->width(), kW);
  EXPECT_EQ(still->height(), kH);
  EXPECT_EQ(view_->takeStillRequest(), nullptr) << "one still frame per resting state";

  fillRows(*still, 0, kH / 2);
  const std::vector<uint8_t> half = frame(0.05);
  int topMagenta = 0, bottomSame = 0;
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      if (y < kH / 2) topMagenta += magenta(half, x, y);
      const size_t i = (size_t(y) * kW + x) * 4;
      if (y >= kH / 2) bottomSame += std::equal(half.begin() + i, half.begin() + i + 3, march.begin() + i);
    }
  EXPECT_EQ(topMagenta, kW * kH / 2) << "the finished rows are not on screen";
  EXPECT_EQ(bottomSame, kW * kH / 2) << "the rows to come are not the march";
  EXPECT_FALSE(view_->progress().converged);
  EXPECT_NE(view_->status().find("exact frame 50%"), std::string::npos) << view_->status();

  fillRows(*still, kH / 2, kH);
  const std::vector<uint8_t> full = frame(0.05);
  int all = 0;
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) all += magenta(full, x, y);
  EXPECT_EQ(all, kW * kH);
  EXPECT_TRUE(view_->progress().converged);
  EXPECT_TRUE(view_->stillShown());
  EXPECT_EQ(frame(0.05), full) << "the finished still frame is not kept";

  OrbitCameraState turned = view_->camera().state();
  turned.azimuthDeg += 10;
  view_->setCamera(turned);
  EXPECT_TRUE(still->cancelled());
  const std::vector<uint8_t> moved = frame(0.01);
  int left = 0;
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) left += magenta(moved, x, y);
  EXPECT_EQ(left, 0) << "the old still frame survived a camera change";
  EXPECT_EQ(view_->takeStillRequest(), nullptr) << "a still frame while moving";
  EXPECT_GT(pixelsNotBackground(rest(), bg_), kW * kH / 20) << "the march is back";

  // Off: no still frame, and the resting march is final.
  view_->setExactStill(false);
  rest();
  for (int i = 0; i < 10; ++i) frame(0.1);
  EXPECT_EQ(view_->takeStillRequest(), nullptr);
  EXPECT_TRUE(view_->progress().converged);
  vkDeviceWaitIdle(ctx_->device());
}

}  // namespace
}  // namespace fieldscope
