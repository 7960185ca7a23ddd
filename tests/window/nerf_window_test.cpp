// The NeRF domain through the real app under Xvfb + lavapipe with validation, on the shipped
// generative model (a seed's scene, another seed's, a mesh of the one on screen) and on the
// shipped fitted scene, driven by --script steps: the baked density + colour grid is marched in colour,
// depth and opacity; orbiting shows another side; the panel's turntable exports an MP4 with
// seconds x fps frames that decodes back, and so does a camera path set through the view's
// state (one keyframe looking down at the pole); the mesh export writes a coloured OBJ. The captures are
// the docs' screenshots when FIELDSCOPE_NERF_SCREENSHOTS names a folder.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "app/domains/nerf/cli/nerf_picture.h"
#include "model/geometry/obj_reader.h"
#include "model/nerf/nerf_scene_io.h"
#include "render/orbit_camera.h"
#include "render/raymarch_settings.h"
#include "model/io/png_file.h"
#include "model/video_io/video_reader.h"
#include "steps_run.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;
using nlohmann::json;

fs::path nerfScene() { return FIELDSCOPE_SOURCE_DIR "/assets/models/nerf-scene-0007.fsm"; }
fs::path nerfModel() { return FIELDSCOPE_SOURCE_DIR "/assets/models/scenes-nerf.fsm"; }

// Pixels away from the view's background (20, 20, 23).
int scenePixels(const Rgba8Image& im) {
  int n = 0;
  for (size_t i = 0; i + 3 < im.pixels.size(); i += 4)
    n += std::abs(int(im.pixels[i]) - 20) > 12 || std::abs(int(im.pixels[i + 1]) - 20) > 12 || std::abs(int(im.pixels[i + 2]) - 23) > 12;
  return n;
}

TEST(NerfWindow, OrbitModesTurntableMp4AndColouredMesh) {
  ASSERT_TRUE(fs::exists(nerfScene())) << "the shipped NeRF scene is missing: " << nerfScene();
  const fs::path dir = tempDir("nerf");
  const char* shots = std::getenv("FIELDSCOPE_NERF_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  const fs::path mp4 = dir / "turntable.mp4", obj = dir / "scene.obj", path = dir / "path.mp4";
  auto cap = [&](const std::string& name) { return json{{"capture", (out / name).string()}, {"region", "window"}}; };
  auto vcap = [&](const std::string& name) { return json{{"capture", (dir / name).string()}, {"region", "viewport"}}; };
  auto until = json{{"until", "converged"}, {"max_frames", 4000}};
  const json steps = json::array({
      // The march of the baked grid only (the exact still frame has its own test below).
      {{"state", {{"view3d", {{"resolution", 96}, {"render", {{"exact_still", false}}}}}, {"turntable", {{"seconds", 0.5}, {"fps", 8}}}, {"mesh", {{"resolution", 48}}}}}},
      until, cap("nerf_orbit_colour.png"), vcap("colour.png"),
      {{"state", {{"view3d", {{"render", {{"mode", "depth"}}}}}}}}, until, cap("nerf_orbit_depth.png"), vcap("depth.png"),
      {{"state", {{"view3d", {{"render", {{"mode", "opacity"}}}}}}}}, until, vcap("opacity.png"),
      {{"state", {{"view3d", {{"render", {{"mode", "colour"}}}, {"camera", {{"azimuth", 150}, {"elevation", 40}}}}}}}}, until,
      cap("nerf_orbit_colour_az150.png"), vcap("turned.png"),
      // 96 x 64 (320 x 240 when the frames are for the docs)
      {{"export", {{"kind", "mp4"}, {"path", mp4.string()}, {"width", shots ? 320 : 96}, {"height", shots ? 240 : 64}}}},
      {{"export", {{"kind", "obj"}, {"path", obj.string()}, {"width", 48}}}},
      // A camera path of three keyframes over 1 s, at the turntable's 8 fps: 9 frames.
      {{"state", {{"camera_path", {{"keyframes", json::array({
          {{"time", 0}, {"position", {0, 1, 4}}, {"look_at", {0, 0, 0}}, {"fov", 40}},
          {{"time", 0.5}, {"position", {4, 2, 0}}, {"look_at", {0, 0, 0}}, {"fov", 40}},
          {{"time", 1.0}, {"position", {0, 4, 0.01}}, {"look_at", {0, 0, 0}}, {"fov", 60}}})}}}}}},
      {{"export", {{"kind", "path-mp4"}, {"path", path.string()}, {"width", 64}, {"height", 64}}}},
  });
  const StepsRun r = runSteps(nerfScene(), dir, steps, "900x600");
  ASSERT_EQ(r.status, 0) << r.output;
  const json& l = r.log;
  ASSERT_EQ(l.at("captures").size(), 7u) << r.output;
  auto img = [&](const std::string& name) { return readImageRgba8(dir / name); };
  const auto colour = img("colour.png"), depth = img("depth.png"), opacity = img("opacity.png"), turned = img("turned.png");
  const int pixels = colour.width * colour.height;
  EXPECT_GT(scenePixels(colour), pixels / 20) << "the scene is not on screen";
  EXPECT_LT(scenePixels(colour), pixels * 3 / 4) << "the scene fills the view: the background is not empty";
  EXPECT_GT(differingPixels(colour, depth), pixels / 40) << "depth looks like colour";
  EXPECT_GT(differingPixels(colour, opacity), pixels / 40) << "opacity looks like colour";
  EXPECT_GT(differingPixels(colour, turned), pixels / 40) << "orbiting did not change the picture";
  // Modes and the camera are uniforms: no re-bake after the first full-resolution grid.
  const auto& caps = l.at("captures");
  EXPECT_EQ(caps[1].at("numbers").at("bakes_requested"), caps.back().at("numbers").at("bakes_requested"));

  ASSERT_EQ(l.at("exports").size(), 3u);
  for (const json& e : l.at("exports")) EXPECT_TRUE(e.at("ok").get<bool>()) << e.dump();
  const std::vector<VideoFrame> frames = readVideoFrames(mp4);
  EXPECT_EQ(frames.size(), 4u);  // 0.5 s x 8 fps
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames[0].width, shots ? 320 : 96);
  if (shots) {  // a turntable frame for the docs
    const VideoFrame& f = frames[2];
    Rgba8Image frame{f.width, f.height, std::vector<uint8_t>(size_t(f.width) * f.height * 4, 255)};
    for (size_t i = 0; i < size_t(f.width) * f.height; ++i)
      for (int c = 0; c < 3; ++c) frame.pixels[4 * i + c] = f.rgb[3 * i + c];
    writePng(out / "nerf_turntable_frame.png", frame);
  }
  EXPECT_EQ(readVideoFrames(path).size(), 9u);  // 1 s x 8 fps + the last keyframe
  const Mesh mesh = readObj(obj).mesh;
  EXPECT_GT(mesh.triangles.size(), 100u);
  EXPECT_EQ(mesh.colours.size(), mesh.positions.size()) << "the mesh is not coloured";
}

TEST(NerfWindow, AGenerativeModelShowsASeedsSceneAndAnotherSeedAnotherScene) {
  ASSERT_TRUE(fs::exists(nerfModel())) << "the shipped NeRF model is missing: " << nerfModel();
  const fs::path dir = tempDir("nerf-gen");
  const char* shots = std::getenv("FIELDSCOPE_NERF_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  const fs::path obj = dir / "sampled.obj";
  auto cap = [&](const std::string& name) { return json{{"capture", (out / name).string()}, {"region", "window"}}; };
  auto vcap = [&](const std::string& name) { return json{{"capture", (dir / name).string()}, {"region", "viewport"}}; };
  auto until = json{{"until", "converged"}, {"max_frames", 4000}};
  const json steps = json::array({
      {{"state", {{"view3d", {{"resolution", 96}, {"render", {{"exact_still", false}}}}}, {"sample", {{"seed", 2}}}}}}, until, cap("nerf_sampled_seed2.png"),
      vcap("seed2.png"),
      {{"state", {{"sample", {{"seed", 5}}}}}}, until, cap("nerf_sampled_seed5.png"), vcap("seed5.png"),
      {{"state", {{"sample", {{"seed", 2}}}}}}, until, vcap("seed2again.png"),
      {{"export", {{"kind", "obj"}, {"path", obj.string()}, {"width", 48}}}},
  });
  const StepsRun r = runSteps(nerfModel(), dir, steps, "900x600");
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_EQ(r.log.at("captures").size(), 5u) << r.output;
  auto img = [&](const std::string& name) { return readImageRgba8(dir / name); };
  const auto a = img("seed2.png"), b = img("seed5.png"), again = img("seed2again.png");
  const int pixels = a.width * a.height;
  EXPECT_GT(scenePixels(a), pixels / 40) << "seed 2's scene is not on screen";
  EXPECT_GT(scenePixels(b), pixels / 40) << "seed 5's scene is not on screen";
  EXPECT_GT(differingPixels(a, b), pixels / 40) << "two seeds showed the same scene";
  EXPECT_LT(differingPixels(a, again), pixels / 200) << "seed 2 came back as another scene";
  ASSERT_EQ(r.log.at("exports").size(), 1u);
  EXPECT_TRUE(r.log.at("exports")[0].at("ok").get<bool>()) << r.log.at("exports")[0].dump();
  EXPECT_GT(readObj(obj).mesh.triangles.size(), 50u);
}

// The exact still frame: once the camera rests, the field itself is rendered through the MLP at
// the viewport's size and replaces the march band by band; the finished picture is the command
// line's exact render of the same camera; moving the camera drops it (the march shows again).
TEST(NerfWindow, AtRestTheExactFieldReplacesTheMarchAndAMoveDropsIt) {
  ASSERT_TRUE(fs::exists(nerfScene())) << "the shipped NeRF scene is missing: " << nerfScene();
  const fs::path dir = tempDir("nerf-still");
  const char* shots = std::getenv("FIELDSCOPE_NERF_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  auto vcap = [&](const std::string& name) { return json{{"capture", (dir / name).string()}, {"region", "viewport"}}; };
  // Minutes of CPU for a big viewport: a small window (a 240 x 240 exact frame is ~25 s here while
  // the script draws ~150 frames a second beside it).
  const json camera = {{"azimuth", 35}, {"elevation", 25}, {"distance", 3.2}, {"target", {0, 0, 0}}, {"fov", 40}};
  const json steps = json::array({
      {{"state", {{"view3d", {{"resolution", 64}, {"camera", camera}, {"render", {{"exact_still", true}}}}}}}},
      {{"until", "converged"}, {"max_frames", 16000}}, vcap("exact.png"),
      {{"capture", (out / "nerf_exact_still.png").string()}, {"region", "window"}},
      {{"state", {{"view3d", {{"render", {{"exact_still", false}}}}}}}}, {{"until", "converged"}, {"max_frames", 2000}},
      vcap("march.png"),
      {{"state", {{"view3d", {{"render", {{"exact_still", true}}}}}}}},
      // Turned while the new exact frame is being made: it is dropped at once.
      {{"frames", 40}}, {{"frames", 6}, {"drag", {25, 0}}}, vcap("moved.png"),
  });
  const StepsRun r = runSteps(nerfScene(), dir, steps, "480x300");
  ASSERT_EQ(r.status, 0) << r.output;
  const json& l = r.log;
  ASSERT_EQ(l.at("captures").size(), 4u) << r.output;
  const json& atExact = l.at("captures")[0];
  EXPECT_EQ(atExact.at("numbers").at("still_shown").get<double>(), 1.0) << atExact.dump();

  // The reference: the command line's exact render (nerf_picture.h) of the captured camera.
  const auto exact = readImageRgba8(dir / "exact.png"), march = readImageRgba8(dir / "march.png");
  const json& c = atExact.at("state").at("view3d").at("camera");
  OrbitCameraState shown;
  shown.azimuthDeg = c.at("azimuth");
  shown.elevationDeg = c.at("elevation");
  shown.distance = c.at("distance");
  shown.target = {c.at("target")[0], c.at("target")[1], c.at("target")[2]};
  shown.fovYDeg = c.at("fov");
  OrbitCamera cam;
  cam.restore(shown);
  const NerfField field = loadNerfScene(nerfScene());
  const RaymarchSettings look;
  const NerfExactRows reference(field, cam.frame(), exact.width, exact.height, NerfRenderMode::Colour,
                                {look.background[0], look.background[1], look.background[2]});
  // Three bands of 8 rows -- through the scene's top, middle and bottom -- rendered again here
  // (the whole picture would take a minute on one thread).
  Rgba8Image shownRows{exact.width, 0, {}}, marchRows = shownRows, referenceRows = shownRows;
  for (const int row0 : {exact.height / 4, exact.height / 2, 3 * exact.height / 4}) {
    std::vector<uint8_t> band(size_t(exact.width) * 8 * 4);
    reference.render(row0, 8, band.data());
    referenceRows.pixels.insert(referenceRows.pixels.end(), band.begin(), band.end());
    const size_t from = size_t(row0) * exact.width * 4, to = from + band.size();
    shownRows.pixels.insert(shownRows.pixels.end(), exact.pixels.begin() + from, exact.pixels.begin() + to);
    marchRows.pixels.insert(marchRows.pixels.end(), march.pixels.begin() + from, march.pixels.begin() + to);
    shownRows.height += 8, marchRows.height += 8, referenceRows.height += 8;
  }
  ASSERT_GT(scenePixels(referenceRows), exact.width) << "the bands miss the scene";
  const double exactDb = psnrRgb(shownRows, referenceRows), marchDb = psnrRgb(marchRows, referenceRows);
  std::printf("exact still frame vs the exact render: %.2f dB; the march vs it: %.2f dB\n", exactDb, marchDb);
  EXPECT_GE(exactDb, 45.0) << "the still frame is not the field's exact render";
  EXPECT_LT(marchDb, exactDb - 3.0) << "the march was already the exact picture: the test shows nothing";
  EXPECT_GT(differingPixels(exact, march), exact.width * exact.height / 200) << "the still frame did not replace the march";

  // After the drag: no still frame (the frames of the drag show none, and the picture is a march).
  int dragFrames = 0;
  for (const json& f : l.at("frames"))
    if (f.at("step").get<size_t>() == 9 && f.contains("numbers")) {
      ++dragFrames;
      EXPECT_EQ(f["numbers"].at("still_height").get<double>(), 0.0) << "a still frame survived the camera move";
    }
  EXPECT_GT(dragFrames, 0);
  EXPECT_EQ(l.at("captures")[3].at("numbers").at("still_shown").get<double>(), 0.0);
}

}  // namespace
}  // namespace fieldscope
