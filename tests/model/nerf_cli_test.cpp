// The NeRF domain's commands (docs/architecture.md "The NeRF domain"): `data scenes` + `fit nerf`
// on a scene of our own, `sample` of a scene as a PNG (exact and baked), a turntable MP4 that
// decodes back with the right frame count and a frame 0 equal to the PNG of the same camera, a
// camera path, a coloured mesh, and named errors for bad flags and files.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>

#include "app/domains/nerf/cli/camera_path.h"
#include "app/domains/nerf/cli/nerf_commands.h"
#include "cli_runner.h"
#include "model/checkpoint/checkpoint.h"
#include "model/geometry/obj_reader.h"
#include "model/io/png_file.h"
#include "model/nerf/nerf_scene_io.h"
#include "model/video_io/video_reader.h"
#include "test_support.h"

namespace fieldscope {
namespace {

const test::CliRunner nerfCli(DomainList{{"nerf", registerNerfCommands, nullptr}});

// A scene checkpoint of the tiny preset with seeded weights: a coloured fog with structure.
std::filesystem::path tinyScene(const std::filesystem::path& dir) {
  Checkpoint c;
  c.config = {{"domain", "nerf"}, {"kind", "scene"}};
  NerfField f = makeNerfField(NerfConfig::preset_("tiny"), 7);
  f.planes = f.planes * 20;  // sharper structure than the fit's starting point
  storeNerfField(c, f);
  saveCheckpoint(dir / "scene.fsm", c);
  return dir / "scene.fsm";
}

double psnrRgbOfRgba(const Rgba8Image& a, const std::vector<uint8_t>& rgb) {
  double sum = 0;
  for (size_t i = 0; i < size_t(a.width) * a.height; ++i)
    for (int k = 0; k < 3; ++k) {
      const double d = double(a.pixels[4 * i + k]) - double(rgb[3 * i + k]);
      sum += d * d;
    }
  const double mse = sum / (3.0 * a.width * a.height);
  return mse > 0 ? 10 * std::log10(255.0 * 255.0 / mse) : 99.0;
}

TEST(NerfCli, ATurntableDecodesBackWithItsFramesAndFrameZeroIsThePngOfThatCamera) {
  if (!videoFilesSupported()) GTEST_SKIP() << kNoVideoFilesReason;  // it reads the MP4 back
  test::TempDir dir("nerf-cli");
  const auto scene = tinyScene(dir.path);
  const std::string png = (dir.path / "view.png").string(), mp4 = (dir.path / "spin.mp4").string();
  nerfCli.run({"sample", "--model", scene.string(), "--camera", "30,20,4", "--size", "64x48", "--render", "baked",
               "--grid", "64", "-o", png});
  nerfCli.run({"sample", "--model", scene.string(), "--turntable", "0.5", "--fps", "12", "--camera", "30,20,4", "--size",
               "64x48", "--grid", "64", "-o", mp4});
  const std::vector<VideoFrame> frames = readVideoFrames(mp4);
  ASSERT_EQ(frames.size(), 6u);  // 0.5 s x 12 fps
  ASSERT_EQ(frames[0].width, 64);
  const Rgba8Image view = readImageRgba8(png);
  EXPECT_GE(psnrRgbOfRgba(view, frames[0].rgb), 30.0);
  // The turntable turns: the last frame differs from the first.
  EXPECT_LT(psnrRgbOfRgba(view, frames[5].rgb), psnrRgbOfRgba(view, frames[0].rgb) - 3.0);
  // The exact picture (through the MLP) is close to the baked one.
  const std::string exact = (dir.path / "exact.png").string();
  nerfCli.run({"sample", "--model", scene.string(), "--camera", "30,20,4", "--size", "64x48", "-o", exact});
  const Rgba8Image e = readImageRgba8(exact);
  std::vector<uint8_t> viewRgb;
  for (size_t i = 0; i < view.pixels.size(); i += 4) viewRgb.insert(viewRgb.end(), {view.pixels[i], view.pixels[i + 1], view.pixels[i + 2]});
  EXPECT_GE(psnrRgbOfRgba(e, viewRgb), 25.0);
}

TEST(NerfCli, ACameraPathRendersItsDurationAndBadPathsAreNamed) {
  if (!videoFilesSupported()) GTEST_SKIP() << kNoVideoFilesReason;  // it reads the MP4 back
  test::TempDir dir("nerf-path");
  const auto scene = tinyScene(dir.path);
  CameraPath p;
  p.keyframes = {{0.0, {0, 1, 4}, {0, 0, 0}, 40}, {0.5, {4, 1, 0}, {0, 0, 0}, 50}};
  writeCameraPath(dir.path / "path.json", p);
  EXPECT_EQ(readCameraPath(dir.path / "path.json").keyframes.size(), 2u);
  nerfCli.run({"sample", "--model", scene.string(), "--camera-path", (dir.path / "path.json").string(), "--fps", "8",
               "--size", "32x32", "--grid", "32", "-o", (dir.path / "path.mp4").string()});
  EXPECT_EQ(readVideoFrames(dir.path / "path.mp4").size(), 5u);  // 0.5 s x 8 fps + the last keyframe
  // Straight down at the pole, and the far end of a path: finite cameras.
  const CameraFrame pole = lookAtFrame({0, 5, 0}, {0, 0, 0}, 40);
  EXPECT_TRUE(std::isfinite(pole.right.x) && std::isfinite(pole.up.z));
  EXPECT_NEAR(pole.forward.y, -1.0f, 1e-6f);
  auto bad = [&](const std::string& text, const std::string& mention) {
    std::ofstream(dir.path / "bad.json") << text;
    nerfCli.expectFails({"sample", "--model", scene.string(), "--camera-path", (dir.path / "bad.json").string(), "-o",
                         (dir.path / "bad.mp4").string()},
                        mention);
    EXPECT_FALSE(std::filesystem::exists(dir.path / "bad.mp4"));
  };
  bad("{\"keyframes\": [{\"time\": 0, \"position\": [0,0,4], \"look_at\": [0,0,0], \"fov\": 180}]}", "keyframe 0");
  bad("{\"keyframes\": [{\"time\": 0, \"position\": [0,0,4], \"look_at\": [0,0,4]}]}", "own position");
  bad("{\"keyframes\": [{\"time\": 1, \"position\": [0,0,4], \"look_at\": [0,0,0]}, {\"time\": 1, \"position\": [1,0,4], "
      "\"look_at\": [0,0,0]}]}",
      "keyframe 1");
  bad("{\"keyframes\": [{\"time\": 0, \"position\": [0,\"x\",4], \"look_at\": [0,0,0]}]}", "position");
  bad("not json", "bad.json");
  // A path of a hundred days: refused before anything is rendered, not wrapped round to one frame.
  bad("{\"keyframes\": [{\"time\": 0, \"position\": [0,0,4], \"look_at\": [0,0,0]}, {\"time\": 1e7, \"position\": "
      "[1,0,4], \"look_at\": [0,0,0]}]}",
      "more than");
}

TEST(NerfCli, AMeshIsColouredAndBadRequestsAreRefusedByName) {
  test::TempDir dir("nerf-mesh");
  const auto scene = tinyScene(dir.path);
  const NerfField f = loadNerfScene(scene);
  // A density most of the fog passes: a surface exists.
  const std::string obj = (dir.path / "scene.obj").string();
  nerfCli.run({"sample", "--model", scene.string(), "--grid", "32", "--density", "1.0", "-o", obj});
  const ObjReadResult mesh = readObj(obj);
  EXPECT_GT(mesh.mesh.triangles.size(), 10u);
  EXPECT_EQ(mesh.mesh.colours.size(), mesh.mesh.positions.size());
  nerfCli.expectFails({"sample", "--model", scene.string(), "--grid", "32", "--density", "1e6", "-o",
                       (dir.path / "none.obj").string()},
                      "never reaches");
  EXPECT_FALSE(std::filesystem::exists(dir.path / "none.obj"));
  nerfCli.expectFails({"sample", "--model", scene.string(), "-o", (dir.path / "x.gif").string()}, "x.gif");
  nerfCli.expectFails({"sample", "--model", scene.string(), "--mode", "normals", "-o", (dir.path / "x.png").string()},
                      "--mode");
  nerfCli.expectFails({"sample", "--model", scene.string(), "--turntable", "0", "-o", (dir.path / "x.mp4").string()},
                      "--turntable");
  nerfCli.expectFails({"sample", "--model", scene.string(), "--fps", "29.97", "-o", (dir.path / "x.mp4").string()}, "--fps");
  nerfCli.expectFails({"sample", "--model", scene.string(), "--orbits", "1.5", "-o", (dir.path / "x.mp4").string()}, "--orbits");
  nerfCli.expectFails({"sample", "--model", scene.string(), "--render", "bakd", "-o", (dir.path / "x.mp4").string()}, "--render");
  EXPECT_FALSE(std::filesystem::exists(dir.path / "x.mp4"));
}

TEST(NerfCli, FitNerfFitsAGeneratedSceneAndSaysItsTestPsnr) {
  test::TempDir dir("nerf-fit-cli");
  nerfCli.run({"data", "scenes", "-o", (dir.path / "scenes").string(), "--count", "1", "--views", "12", "--test-views",
               "2", "--size", "24"});
  ASSERT_TRUE(std::filesystem::exists(dir.path / "scenes" / "scene_0000" / "transforms_train.json"));
  const std::string out = (dir.path / "fit.fsm").string();
  nerfCli.run({"fit", "nerf", "--data", (dir.path / "scenes" / "scene_0000").string(), "--preset", "tiny", "--steps",
               "10", "--rays", "128", "-o", out});
  const Checkpoint c = loadCheckpoint(out, "nerf");
  EXPECT_EQ(c.config["data"]["train_views"], 12);
  EXPECT_EQ(c.config["data"]["test_views"], 2);
  EXPECT_TRUE(c.config["metrics"].contains("test_psnr_db"));
  // A folder without transforms_train.json is named.
  nerfCli.expectFails({"fit", "nerf", "--data", dir.path.string(), "-o", (dir.path / "x.fsm").string()},
                      "transforms_train.json");
}

}  // namespace
}  // namespace fieldscope
