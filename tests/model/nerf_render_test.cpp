// The NeRF renderer in torch (docs/architecture.md "The NeRF domain"): rays, box intervals,
// stratified + importance sampling, the grid twin of the 3D view's marcher, bakes, and fitting.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "model/nerf/grid_volume_render.h"
#include "model/nerf/nerf_field.h"
#include "model/nerf/ray_camera.h"
#include "model/nerf/volume_render.h"

namespace fieldscope {
namespace {

// A soft coloured ball of radius 0.6: dense inside, its colour the position.
NerfSamples ball(const torch::Tensor& p, const torch::Tensor&) {
  const torch::Tensor r = p.norm(2, -1);
  return {40.0 * torch::sigmoid((0.6 - r) * 30.0), ((p / 0.6) * 0.5 + 0.5).clamp(0, 1)};
}

RayCamera lookingAtOrigin(float distance, float tanHalfFovY = 0.25f) {
  RayCamera c;
  c.origin = {0, 0, distance};
  c.tanHalfFovY = tanHalfFovY;
  return c;
}

TEST(NerfRays, PixelCentresFollowTheViewConvention) {
  const Rays r = pixelRays(lookingAtOrigin(4), 4, 2);
  ASSERT_EQ(r.directions.size(0), 8);
  // Top-left pixel looks up and left; the directions are unit.
  EXPECT_LT(r.directions[0][0].item<float>(), 0);
  EXPECT_GT(r.directions[0][1].item<float>(), 0);
  EXPECT_NEAR(r.directions.norm(2, -1).min().item<float>(), 1.0, 1e-5);
  // A pose's camera: the NeRF-synthetic identity rotation looks down -Z.
  const std::array<float, 16> pose{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 4, 0, 0, 0, 1};
  const RayCamera c = cameraFromPose(pose, 0.69f, 64, 32);
  EXPECT_FLOAT_EQ(c.forward[2], -1.0f);
  EXPECT_FLOAT_EQ(c.origin[2], 4.0f);
  EXPECT_NEAR(c.tanHalfFovY, std::tan(0.345f) * 0.5f, 1e-6);
}

TEST(NerfRays, BoxIntervalsHandleMissesInsideCamerasAndAxisRays) {
  Rays r;
  r.origins = torch::tensor({0.f, 0.f, 4.f, 0.f, 0.f, 0.f, 0.f, 3.f, 4.f}).view({3, 3});
  r.directions = torch::tensor({0.f, 0.f, -1.f, 1.f, 0.f, 0.f, 0.f, 0.f, -1.f}).view({3, 3});
  auto [t0, t1] = boxInterval(r, 1.5);
  EXPECT_NEAR(t0[0].item<float>(), 2.5, 1e-5);  // along the axis: zero components are no trouble
  EXPECT_NEAR(t1[0].item<float>(), 5.5, 1e-5);
  EXPECT_EQ(t0[1].item<float>(), 0.0f);  // inside: from the camera on
  EXPECT_NEAR(t1[1].item<float>(), 1.5, 1e-5);
  EXPECT_LE(t1[2].item<float>(), t0[2].item<float>());  // passes above the box
  EXPECT_TRUE(torch::isfinite(t0).all().item<bool>());
}

TEST(NerfRender, ABallShowsItsSilhouetteDepthAndTheBackground) {
  torch::NoGradGuard g;
  VolumeRenderOptions o;
  o.stratified = 64;
  o.importance = 64;
  const int W = 32, H = 32;
  const RenderedRays out = renderRays(ball, pixelRays(lookingAtOrigin(4), W, H), o);
  const int centre = (H / 2) * W + W / 2;
  EXPECT_GT(out.opacity[centre].item<float>(), 0.99f);
  EXPECT_NEAR(out.depth[centre].item<float>(), 4.0 - 0.6, 0.05);
  EXPECT_LT(out.opacity[0].item<float>(), 1e-3f);  // the corner sees past the ball
  EXPECT_NEAR(out.rgb[0][1].item<float>(), 1.0, 1e-3);  // white background
  EXPECT_TRUE(torch::isfinite(out.rgb).all().item<bool>());
}

TEST(NerfRender, ImportanceSamplesGoWhereTheWeightIs) {
  const torch::Tensor edges = torch::linspace(0, 4, 5).unsqueeze(0);
  const torch::Tensor w = torch::tensor({0.f, 0.f, 1.f, 0.f}).unsqueeze(0);
  const torch::Tensor s = sampleFromWeights(edges, w, 16, torch::Tensor());
  EXPECT_GE(s.min().item<float>(), 1.99f);
  EXPECT_LE(s.max().item<float>(), 3.01f);
  EXPECT_TRUE((s.narrow(1, 1, 15) >= s.narrow(1, 0, 15)).all().item<bool>());
}

TEST(NerfRender, TheBakedGridMarchedLikeTheShaderMatchesTheFieldItself) {
  torch::NoGradGuard g;
  const int64_t n = 96;
  torch::Tensor grid = torch::empty({n, n, n, 4});
  ASSERT_TRUE(bakeVolume(ball, n, 1.5, {0, 0, -1}, grid, false));
  // A voxel centre: grid[z][y][x] at -1.5 + (i + 0.5) 3 / n.
  EXPECT_GT(grid[n / 2][n / 2][n / 2][0].item<float>(), 39.0f);
  EXPECT_LT(grid[0][0][0][0].item<float>(), 1e-3f);
  const Rays rays = pixelRays(lookingAtOrigin(4), 48, 40);
  VolumeRenderOptions o;
  o.stratified = 256;
  o.importance = 128;
  const RenderedRays exact = renderRays(ball, rays, o);
  const RenderedRays marched = renderGridRays(grid, 1.5, rays, 0.5, {1, 1, 1});
  const double psnr = -10 * std::log10((exact.rgb - marched.rgb).pow(2).mean().item<double>());
  EXPECT_GT(psnr, 30.0) << psnr;
  // yUp: the grid's +Y shows the scene's +Z.
  torch::Tensor up = torch::empty({n, n, n, 4});
  auto zBall = [](const torch::Tensor& p, const torch::Tensor& d) {
    return ball(p - torch::tensor({0.f, 0.f, 0.8f}), d);
  };
  bakeVolume(zBall, n, 1.5, {0, 0, -1}, up, true);
  const int64_t hi = int64_t((0.8 + 1.5) / 3.0 * n);
  EXPECT_GT(up[n / 2][hi][n / 2][0].item<float>(), 30.0f);  // [z][y][x]: y = 0.8 in the view
}

}  // namespace
}  // namespace fieldscope
