// The 3D view (GridView3D, docs/architecture.md "The 3D view's parts") through the real app
// under Xvfb + lavapipe with validation, driven by --script steps: (state patches, scripted
// drags, captures, a per-frame log), on the test-only analytic domain (tests/domains/sdf/):
//  - at rest the viewport is the CPU reference's picture of the same grid, camera and settings;
//  - the iso-level changes the picture with no re-bake (bakes counted);
//  - a resolution change re-bakes on the worker while the old grid stays on screen (every frame
//    measured: never blank), then swaps;
//  - the clip plane cuts (and shows the cut face, as the reference does);
//  - the state round trips through the session; absurd values in it are clamped, not fatal;
//  - a scripted drag orbits (at a reduced resolution while moving), the resting picture matches;
//  - File > Export PNG writes the view, equal to the reference at the export's size, also when
//    the first bake is slow (the scripted export waits for the picture; it once hung in CI).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/views/view3d_state.h"
#include "model/io/png_file.h"
#include "process.h"
#include "render/raymarch_cpu.h"
#include "render/raymarch_settings.h"
#include "tests/domains/sdf/analytic_field.h"
#include "tests/vulkan/image_agreement.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;
using nlohmann::json;

constexpr const char* kSize = " --size 640x400";
constexpr uint8_t kBackground[3] = {20, 20, 23};  // RaymarchSettings' background, packed

fs::path shapeFile(const fs::path& dir, const std::string& shape, int resolution, int delayMs = 0) {
  const fs::path p = dir / (shape + ".sdftest");
  std::ofstream(p) << json{{"sdftest", shape}, {"resolution", resolution}, {"bake_delay_ms", delayMs}}.dump();
  return p;
}

struct AppRun {
  ProcessResult process;
  json log;
};

// Runs the app with a steps script; `model` empty: the session decides what opens.
AppRun runSteps(const fs::path& dir, const std::string& name, const fs::path& model, const json& steps,
             const std::string& extra = " --no-session") {
  const fs::path script = dir / (name + ".json"), log = dir / (name + "-log.json");
  std::ofstream(script) << json{{"log", log.string()}, {"steps", steps}}.dump(1);
  AppRun r;
  r.process = runFieldscope((model.empty() ? "" : "--model '" + model.string() + "'") + extra + kSize +
                                " --script 'steps:" + script.string() + "'",
                            envWithConfig(dir / "config"));
  std::ifstream in(log);
  if (in) r.log = json::parse(in, nullptr, false);
  return r;
}

double number(const json& entry, const char* name) { return entry.at("numbers").at(name).get<double>(); }

// The CPU reference of a capture: the analytic grid, the camera, iso, clip and mode of the
// logged state, the viewport's size.
std::vector<uint8_t> reference(const json& capture, AnalyticShape shape, int n, int width = 0, int height = 0) {
  View3DLimits limits;
  limits.modes = {"shaded", "normals", "depth"};
  const View3DState s = view3dStateFromJson(capture.at("state").at("view3d"), View3DState{}, limits);
  RaymarchSettings settings;
  settings.isoLevel = IsoScale::occupancyProbability().toShader(s.iso);
  settings.clipPlane = s.clip.plane();
  settings.renderMode = int(std::find(limits.modes.begin(), limits.modes.end(), s.render.mode) - limits.modes.begin());
  const float h = float(number(capture, "half_extent"));
  std::vector<float> grid(size_t(n) * n * n);
  bakeAnalytic(shape, n, h, 0, n, grid.data());
  if (width == 0) width = capture.at("viewport")[2].get<int>(), height = capture.at("viewport")[3].get<int>();
  return raymarchOnCpu(raymarchUniforms(OrbitCamera(s.camera).frame(), settings, {n, h}, width, height), grid.data());
}

void expectMatchesReference(const fs::path& png, const std::vector<uint8_t>& ref, const std::string& what) {
  const Rgba8Image img = readImageRgba8(png);
  ASSERT_EQ(img.pixels.size(), ref.size()) << what;
  const ImageAgreement a = agreementOverBackground(img.pixels, ref, kBackground);
  std::printf("  %s: window %d px, CPU %d px covered; IoU %.4f, shaded within 4/255 %.4f\n", what.c_str(), a.coveredA,
              a.coveredB, a.iou, a.shadedWithin);
  EXPECT_GT(a.coveredB, 2000) << what;
  EXPECT_GE(a.iou, 0.99) << what;
  EXPECT_GE(a.shadedWithin, 0.99) << what;
}

int coverage(const fs::path& png) {
  const Rgba8Image img = readImageRgba8(png);
  return agreementOverBackground(img.pixels, img.pixels, kBackground).coveredA;
}

const json kQuiet = {{"state", {{"panel", false}}}};  // no panel over the viewport
const json kRest = {{"until", "converged"}};

json capture(const fs::path& p) { return {{"capture", p.string()}, {"region", "viewport"}}; }

void expectClean(const AppRun& r) {
  EXPECT_EQ(r.process.status, 0) << r.process.output;
  EXPECT_EQ(r.log.value("validation_errors", -1), 0) << r.process.output;
  EXPECT_TRUE(r.log.value("errors", json::array()).empty()) << r.log.value("errors", json::array()).dump();
}

TEST(View3D, AtRestThePictureIsTheCpuReference) {
  const fs::path dir = tempDir("view3d-rest");
  const AppRun r = runSteps(dir, "rest", shapeFile(dir, "torus", 128), {kQuiet, kRest, capture(dir / "a.png")});
  expectClean(r);
  ASSERT_EQ(r.log["captures"].size(), 1u) << r.process.output;
  const json& c = r.log["captures"][0];
  EXPECT_EQ(number(c, "grid_n"), 128);
  EXPECT_EQ(number(c, "shown_width"), number(c, "viewport_width")) << "the resting frame is full resolution";
  expectMatchesReference(dir / "a.png", reference(c, AnalyticShape::Torus, 128), "torus at rest");
}

TEST(View3D, TheIsoLevelChangesThePictureWithoutARebake) {
  const fs::path dir = tempDir("view3d-iso");
  const AppRun r = runSteps(dir, "iso", shapeFile(dir, "torus", 128),
                         {kQuiet, kRest, capture(dir / "p50.png"), {{"state", {{"view3d", {{"iso", 0.05}}}}}}, kRest,
                          capture(dir / "p05.png"), {{"state", {{"view3d", {{"iso", 0.95}}}}}}, kRest,
                          capture(dir / "p95.png")});
  expectClean(r);
  ASSERT_EQ(r.log["captures"].size(), 3u);
  for (const json& c : r.log["captures"]) {
    EXPECT_EQ(number(c, "bakes_requested"), 1) << "no re-bake for an iso-level";
    EXPECT_EQ(number(c, "grids_published"), 1);
  }
  const int p50 = coverage(dir / "p50.png"), p05 = coverage(dir / "p05.png"), p95 = coverage(dir / "p95.png");
  std::printf("  covered pixels: p 0.05 %d, p 0.5 %d, p 0.95 %d\n", p05, p50, p95);
  EXPECT_GT(p05, p50 * 1.1);
  EXPECT_LT(p95, p50 * 0.9);
  expectMatchesReference(dir / "p05.png", reference(r.log["captures"][1], AnalyticShape::Torus, 128), "iso p 0.05");
  expectMatchesReference(dir / "p95.png", reference(r.log["captures"][2], AnalyticShape::Torus, 128), "iso p 0.95");
}

TEST(View3D, AResolutionChangeRebakesWhileTheOldGridStaysOnScreen) {
  const fs::path dir = tempDir("view3d-resolution");
  // Each bake takes >= 1.5 s (bake_delay_ms): many frames are drawn while it runs.
  const AppRun r = runSteps(dir, "resolution", shapeFile(dir, "sphere", 96, 1500),
                         {kQuiet, kRest, {{"frames", 2}, {"measure", true}},
                          {{"state", {{"view3d", {{"resolution", 160}}}}}},
                          {{"until", "converged"}, {"measure", true}, {"max_frames", 2000}},
                          capture(dir / "after.png")});
  expectClean(r);
  int before = -1, during = 0, minCovered = 1 << 30, after = 0;
  for (const json& f : r.log["frames"]) {
    if (!f.contains("covered")) continue;
    const int covered = f["covered"].get<int>();
    const double n = number(f, "grid_n");
    if (before < 0) before = covered;
    minCovered = std::min(minCovered, covered);
    if (n == 96 && number(f, "bakes_requested") == 2) ++during;
    if (n == 160) ++after;
  }
  std::printf("  covered before %d, least while re-baking %d; %d frames drawn during the bake, %d after\n", before,
              minCovered, during, after);
  EXPECT_GE(during, 3) << "frames were drawn while the bake ran";
  EXPECT_GE(after, 1);
  EXPECT_GT(minCovered, before * 0.9) << "no blank (or half-drawn) frame";
  const json& c = r.log["captures"][0];
  EXPECT_EQ(number(c, "grid_n"), 160);
  EXPECT_EQ(number(c, "grids_published"), 2);
  EXPECT_EQ(number(c, "bakes_requested"), 2);
  expectMatchesReference(dir / "after.png", reference(c, AnalyticShape::Sphere, 160), "sphere re-baked at 160^3");
}

TEST(View3D, TheClipPlaneCuts) {
  const fs::path dir = tempDir("view3d-clip");
  const AppRun r = runSteps(dir, "clip", shapeFile(dir, "torus", 128),
                         {kQuiet, kRest, capture(dir / "whole.png"),
                          {{"state", {{"view3d", {{"clip", {{"enabled", true}, {"axis", "x"}, {"offset", 0.05}}}}}}}},
                          kRest, capture(dir / "cut.png")});
  expectClean(r);
  const int whole = coverage(dir / "whole.png"), cut = coverage(dir / "cut.png");
  std::printf("  covered: whole %d, clipped %d\n", whole, cut);
  EXPECT_LT(cut, whole * 0.8);
  EXPECT_GT(cut, whole * 0.3);
  expectMatchesReference(dir / "cut.png", reference(r.log["captures"][1], AnalyticShape::Torus, 128), "clipped torus");
}

TEST(View3D, TheStateRoundTripsThroughTheSessionAndAbsurdValuesAreClamped) {
  const fs::path dir = tempDir("view3d-state");
  const fs::path file = shapeFile(dir, "torus", 96);
  const json set = {{"panel", false},
                    {"view3d",
                     {{"camera", {{"azimuth", 75.0}, {"elevation", -25.0}, {"distance", 1.6}, {"target", {0.05, 0, 0}}}},
                      {"iso", 0.3},
                      {"clip", {{"enabled", true}, {"axis", "y"}, {"offset", 0.02}, {"flip", true}}},
                      {"render", {{"dynamic_resolution", false}, {"target_fps", 45}}}}}};
  const AppRun first = runSteps(dir, "first", file, {{{"state", set}}, kRest, capture(dir / "first.png")}, "");
  expectClean(first);
  // The next start without --model: the session reopens the file with its state.
  const AppRun second = runSteps(dir, "second", "", {kRest, capture(dir / "second.png")}, "");
  expectClean(second);
  ASSERT_EQ(second.log["captures"].size(), 1u) << second.process.output;
  EXPECT_EQ(second.log["captures"][0]["state"], first.log["captures"][0]["state"]);
  EXPECT_EQ(readImageRgba8(dir / "second.png").pixels, readImageRgba8(dir / "first.png").pixels)
      << "the same picture after the round trip";

  // Absurd numbers in the session: clamped (or kept where NaN came back as null), never fatal.
  const fs::path sessionFile = dir / "config" / "fieldscope" / "session.json";
  json session = json::parse(readText(sessionFile));
  session["state"]["view3d"]["camera"] = {{"azimuth", 1e30}, {"elevation", -1e300}, {"distance", 1e19},
                                          {"target", {1e19, nullptr, -1e19}}, {"fov", 1e-19}};
  session["state"]["view3d"]["iso"] = 5;
  session["state"]["view3d"]["clip"]["offset"] = -1e19;
  session["state"]["view3d"]["render"]["target_fps"] = 1e19;
  session["state"]["view3d"]["resolution"] = -7;
  std::ofstream(sessionFile) << session.dump();
  const AppRun third = runSteps(dir, "third", "", {kRest, capture(dir / "third.png")}, "");
  expectClean(third);
  ASSERT_EQ(third.log["captures"].size(), 1u) << third.process.output;
  const json cam = third.log["captures"][0]["state"]["view3d"]["camera"];
  EXPECT_EQ(cam["distance"], OrbitCamera::kMaxDistance);
  EXPECT_EQ(cam["elevation"], -OrbitCamera::kMaxElevationDeg);
  EXPECT_EQ(cam["fov"], OrbitCamera::kMinFovDeg);
  EXPECT_LE(std::abs(cam["target"][0].get<double>()), 2.3);
  const json v = third.log["captures"][0]["state"]["view3d"];
  EXPECT_EQ(v["iso"], 0.99f);
  EXPECT_EQ(v["resolution"], 64);
  EXPECT_EQ(number(third.log["captures"][0], "grid_n"), 64) << "re-baked at the clamped resolution";
  EXPECT_FALSE(fs::exists(sessionFile.string() + ".bad")) << "clamped values are not a refusal";
}

TEST(View3D, AScriptedDragOrbitsAtReducedResolutionAndTheRestingPictureMatches) {
  const fs::path dir = tempDir("view3d-orbit");
  const AppRun r = runSteps(dir, "orbit", shapeFile(dir, "torus", 128),
                         {kQuiet, kRest, capture(dir / "start.png"), {{"frames", 12}, {"drag", {30, 8}}}, kRest,
                          capture(dir / "end.png")});
  expectClean(r);
  ASSERT_EQ(r.log["captures"].size(), 2u);
  const json a = r.log["captures"][0]["state"]["view3d"]["camera"], b = r.log["captures"][1]["state"]["view3d"]["camera"];
  const double height = number(r.log["captures"][0], "viewport_height");
  const double degreesPerPixel = OrbitCamera::kDegreesPerViewport / height;
  EXPECT_NEAR(b["azimuth"].get<double>(), a["azimuth"].get<double>() - 12 * 30 * degreesPerPixel, 0.01);
  EXPECT_NEAR(b["elevation"].get<double>(), a["elevation"].get<double>() + 12 * 8 * degreesPerPixel, 0.01);
  int reduced = 0;
  for (const json& f : r.log["frames"])
    if (f["step"] == 3 && number(f, "shown_width") < number(f, "viewport_width")) ++reduced;
  EXPECT_GE(reduced, 6) << "the moving frames march a reduced picture";
  EXPECT_NE(readImageRgba8(dir / "start.png").pixels, readImageRgba8(dir / "end.png").pixels);
  expectMatchesReference(dir / "end.png", reference(r.log["captures"][1], AnalyticShape::Torus, 128), "after the orbit");
}

TEST(View3D, FileExportPngWritesTheView) {
  const fs::path dir = tempDir("view3d-export");
  const fs::path out = dir / "export.png";
  const ProcessResult r = runFieldscope("--no-session --model '" + shapeFile(dir, "torus", 128).string() + "'" + kSize +
                                            " --script 'export:900:" + out.string() + "'",
                                        envWithConfig(dir / "config"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("export finished"), std::string::npos) << r.output;
  const json side = json::parse(readText(out.string() + ".json"));
  const Rgba8Image img = readImageRgba8(out);
  EXPECT_EQ(img.width, 900);
  json c = {{"state", side}, {"numbers", {{"half_extent", side["grid"]["half_extent"]}}}};
  expectMatchesReference(out, reference(c, AnalyticShape::Torus, side["grid"]["n"].get<int>(), img.width, img.height),
                         "File > Export PNG 900 wide");
}

// A first bake slower than the script's frames: before, Export was pressed with no grid, the
// start failed into an error dialog and nobody heard of it (the run waited forever).
TEST(View3D, FileExportWaitsForASlowFirstBake) {
  const fs::path dir = tempDir("view3d-export-slow");
  const fs::path out = dir / "export.png";
  const ProcessResult r = runFieldscope("--no-session --model '" + shapeFile(dir, "sphere", 64, 2500).string() + "'" +
                                            kSize + " --script 'export:320:" + out.string() + "'",
                                        envWithConfig(dir / "config"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("export finished"), std::string::npos) << r.output;
  EXPECT_EQ(readImageRgba8(out).width, 320);
}

}  // namespace
}  // namespace fieldscope
