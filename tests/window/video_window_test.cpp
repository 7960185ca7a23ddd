// The video domain through the real app under Xvfb + lavapipe with validation, on the shipped
// video model, driven by --script steps: the timeline at three times (one between two training
// frames); the frame scrubbed to a fractional t equals the field decoded directly at that t (the
// viewer decodes the field, it does not blend frames); the times differ; File > Export MP4 writes
// a clip that decodes back. The captures are the docs' screenshots when
// FIELDSCOPE_VIDEO_SCREENSHOTS names a folder.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/io/png_file.h"
#include "model/video/video_eval.h"
#include "model/video/video_model.h"
#include "model/video_io/video_reader.h"
#include "steps_run.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;
using nlohmann::json;

fs::path videoModel() { return FIELDSCOPE_SOURCE_DIR "/assets/models/clips-video.fsm"; }

torch::Tensor rgbOf(const Rgba8Image& im) {
  return torch::from_blob(const_cast<uint8_t*>(im.pixels.data()), {im.height, im.width, 4}, torch::kUInt8)
             .narrow(2, 0, 3)
             .to(torch::kFloat32) /
         255.0;
}

TEST(VideoWindow, TimelineScrubsBetweenFramesAndExportsAnMp4) {
  ASSERT_TRUE(fs::exists(videoModel())) << "the shipped video model is missing: " << videoModel();
  const fs::path dir = tempDir("video");
  const char* shots = std::getenv("FIELDSCOPE_VIDEO_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  const fs::path mp4 = dir / "clip.mp4";
  auto cap = [&](const std::string& name) { return json{{"capture", (out / name).string()}, {"region", "window"}}; };
  auto vcap = [&](const std::string& name) { return json{{"capture", (dir / name).string()}, {"region", "viewport"}}; };
  auto until = json{{"until", "converged"}, {"max_frames", 4000}};
  auto at = [](double t) { return json{{"state", {{"timeline", {{"t", t}, {"playing", false}}}}}}; };
  const json steps = json::array({
      {{"state", {{"sample", {{"seed", 3}, {"steps", 20}}}}}}, at(0.0), until, cap("video_t000.png"),
      at(0.37), until, cap("video_t037.png"), vcap("t037_viewport.png"),
      at(1.0), until, cap("video_t100.png"),
      {{"export", {{"kind", "mp4"}, {"path", mp4.string()}, {"width", 64}}}},
  });
  const StepsRun r = runSteps(videoModel(), dir, steps);
  ASSERT_EQ(r.status, 0) << r.output;
  const json& l = r.log;
  ASSERT_EQ(l.at("captures").size(), 4u) << r.output;
  const auto& c = l.at("captures")[1];
  EXPECT_NEAR(c.at("state").at("timeline").at("t").get<double>(), 0.37, 1e-9);

  // The viewport at t = 0.37 (key 89 of 16 a frame interval: t = 89 / 240, between frames 6 and 7)
  // against the field decoded directly at that t over the same pixel grid: the view fits the
  // square frame to the viewport's height, centred.
  const Rgba8Image shown = readImageRgba8(dir / "t037_viewport.png");
  const int W = shown.width, H = shown.height;
  const double x0 = 0.5 - double(W) / (2.0 * H);
  auto m = VideoModel::load(videoModel());
  const VideoFields fields = m->makeFields(m->sampleLatent(3, 20));
  // Columns of the frame left of the Video panel, rows above the timeline.
  const int c0 = (W - H) / 2 + 4, c1 = std::min((W + H) / 2 - 4, W - 330), r1 = int(H * 0.7);
  const auto direct =
      m->decodeFrame(fields, 89.0 / 240.0, c1 - c0, r1, {x0 + double(c0) / H, 0.0, x0 + double(c1) / H, double(r1) / H});
  const auto viewer = rgbOf(shown).narrow(0, 0, r1).narrow(1, c0, c1 - c0);
  EXPECT_GE(psnr01(viewer, direct), 35.0) << "the scrubbed frame is not the field at t";
  const auto onFrame6 = m->decodeFrame(fields, 6.0 / 15.0, c1 - c0, r1, {x0 + double(c0) / H, 0.0, x0 + double(c1) / H, double(r1) / H});
  EXPECT_GT((onFrame6 - direct).abs().mean().item<double>(), 1e-3) << "t = 0.37 shows a training frame";

  const auto first = rgbOf(readImageRgba8(out / "video_t000.png")), last = rgbOf(readImageRgba8(out / "video_t100.png"));
  EXPECT_GT((first - last).abs().mean().item<double>(), 0.005) << "the first and the last frame look the same";

  ASSERT_EQ(l.at("exports").size(), 1u);
  EXPECT_TRUE(l.at("exports")[0].at("ok").get<bool>()) << l.at("exports")[0].dump();
  VideoReader reader(mp4);
  EXPECT_EQ(reader.info().width, 64);
  EXPECT_EQ(reader.info().pixelFormat, "yuv420p");
  int frames = 0;
  for (VideoFrame f; reader.next(f);) ++frames;
  EXPECT_EQ(frames, 56) << "30 fps over the clip as the timeline plays it (15 intervals at 8 frames/s)";
}

// The clip grid: 3 x 3 clips whose thumbnails play with the timeline (the centre clip at t = 0.5 is
// that clip's field at t = 0.5), and playback with prefetch: the playhead only ever moves onto a
// frame whose tiles are all decoded (it waits otherwise), and the worker decodes ahead of it.
TEST(VideoWindow, ClipGridPlaysAndPlaybackOnlyShowsDecodedFrames) {
  ASSERT_TRUE(fs::exists(videoModel())) << "the shipped video model is missing: " << videoModel();
  const fs::path dir = tempDir("video_grid");
  const char* shots = std::getenv("FIELDSCOPE_VIDEO_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  auto until = json{{"until", "converged"}, {"max_frames", 4000}};
  const json steps = json::array({
      {{"state", {{"grid", true}, {"sample", {{"seed", 10}, {"steps", 10}}}, {"timeline", {{"t", 0.0}, {"playing", false}}}}}},
      until,
      {{"capture", (dir / "grid_t0.png").string()}, {"region", "viewport"}},
      {{"state", {{"timeline", {{"t", 0.5}}}}}},
      until,
      {{"capture", (dir / "grid_t05.png").string()}, {"region", "viewport"}},
      {{"capture", (out / "video_grid.png").string()}, {"region", "window"}},
      // One clip, zoomed out so that one tile holds the frame, played slowly (a key every 2.5 s;
      // a tile takes about 1 s here) so that the worker can get ahead of the playhead on this CPU.
      {{"state", {{"grid", false}, {"sample", {{"seed", 3}, {"steps", 10}}}, {"view", {{"cx", 0.5}, {"cy", 0.5}, {"zoom", 0.4}}},
                  {"timeline", {{"t", 0.0}, {"playing", false}}}}}},
      until,
      {{"state", {{"timeline", {{"playing", true}, {"fps", 1.0}, {"speed", 0.1}}}}}},
      // Until the playhead is on key 12 (three moves: 4, 8, 12), however long the decodes take on
      // a busy machine (a fixed 600 frames saw no move at all under CI's parallel ctest).
      {{"until", "time_key"}, {"at_least", 12}, {"max_frames", 12000}},
      {{"capture", (out / "video_playing.png").string()}, {"region", "window"}},
  });
  const StepsRun r = runSteps(videoModel(), dir, steps, "960x600");
  ASSERT_EQ(r.status, 0) << r.output;
  const json& l = r.log;
  ASSERT_EQ(l.at("captures").size(), 4u) << r.output;

  // The centre cell (seed 14, sampled with its row: seeds 13, 14, 15) at t = 0.5.
  const Rgba8Image shown = readImageRgba8(dir / "grid_t05.png");
  const int W = shown.width, H = shown.height;
  const double x0 = 0.5 - double(W) / (2.0 * H);
  const double cell0 = (1 + 0.03) / 3, cell1 = (2 - 0.03) / 3;  // the centre cell on the picture
  const int c0 = int(std::ceil((cell0 - x0) * H)) + 2, c1 = int((cell1 - x0) * H) - 2;
  const int r0 = int(std::ceil(cell0 * H)) + 2, r1 = int(cell1 * H) - 2;
  auto m = VideoModel::load(videoModel());
  const auto latents = m->sampleLatents({13, 14, 15}, 10);
  const VideoFields fields = m->makeFields(latents.narrow(0, 1, 1));
  auto inCell = [&](double px) { return (px - cell0) / (cell1 - cell0); };
  const auto direct = m->decodeFrame(fields, 0.5, c1 - c0, r1 - r0,
                                     {inCell(x0 + (c0 + 0.0) / H), inCell((r0 + 0.0) / H), inCell(x0 + double(c1) / H),
                                      inCell(double(r1) / H)});
  const auto viewer = rgbOf(shown).narrow(0, r0, r1 - r0).narrow(1, c0, c1 - c0);
  EXPECT_GE(psnr01(viewer, direct), 30.0) << "the centre thumbnail is not its clip at t = 0.5";
  const auto before = rgbOf(readImageRgba8(dir / "grid_t0.png")).narrow(0, r0, r1 - r0).narrow(1, c0, c1 - c0);
  EXPECT_GT((before - viewer).abs().mean().item<double>(), 0.003) << "the thumbnail did not change with t";

  // Playback: every frame that moves the playhead onto another key shows that key fully decoded.
  int moves = 0, undecodedMoves = 0, maxAhead = 0;
  double lastKey = -1;
  std::set<double> keys;
  for (const json& f : l.at("frames")) {
    if (!f.contains("numbers") || f["numbers"].value("playing", 0.0) < 1) continue;
    const double key = f["numbers"].at("time_key");
    maxAhead = std::max(maxAhead, int(f["numbers"].value("ready_ahead", 0.0)));
    if (lastKey >= 0 && key != lastKey) {
      ++moves;
      if (!f.at("detail").get<bool>()) ++undecodedMoves;
      keys.insert(key);
      EXPECT_EQ(std::fmod(key, 4.0), 0.0) << "playing shows every 4th key";
    }
    lastKey = key;
  }
  EXPECT_GE(moves, 3) << "the clip played";
  EXPECT_EQ(undecodedMoves, 0) << "the playhead moved onto a frame that was not decoded";
  // How far the worker got ahead depends on how busy the machine is (under a parallel ctest it can
  // stay 0: playback then waits on every key); that keys ahead are decoded is tested without
  // timing in tests/vulkan (SourceCache.Lookahead*). Reported, not asserted.
  std::printf("keys decoded ahead of the playhead: at most %d\n", maxAhead);
}

}  // namespace
}  // namespace fieldscope
