// The shape domain through the real app under Xvfb + lavapipe with validation, on the shipped
// shape model, driven by --script steps: two samples differ; the iso-level changes the picture
// without a re-bake; the clip plane cuts; File > Export OBJ writes the sample's closed mesh at the
// iso-level shown, which reads back; the captures are the docs' screenshots when
// FIELDSCOPE_SHAPE_SCREENSHOTS names a folder.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/geometry/mesh_stats.h"
#include "model/geometry/obj_reader.h"
#include "model/io/png_file.h"
#include "steps_run.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;
using nlohmann::json;

fs::path shapeModel() { return FIELDSCOPE_SOURCE_DIR "/assets/models/shapes-occupancy.fsm"; }

// Pixels that are not the view's background (0.08, 0.08, 0.09), counted per vertical strip (or
// horizontal band) of `parts` equal strips.
bool shapePixel(const Rgba8Image& im, size_t i) {
  return std::abs(int(im.pixels[i]) - 20) > 6 || std::abs(int(im.pixels[i + 2]) - 23) > 6;
}
std::vector<int> shapeColumns(const Rgba8Image& im, int parts) {
  std::vector<int> count(parts, 0);
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) count[x * parts / im.width] += shapePixel(im, (size_t(y) * im.width + x) * 4);
  return count;
}
std::vector<int> shapeRows(const Rgba8Image& im, int parts) {
  std::vector<int> count(parts, 0);
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) count[y * parts / im.height] += shapePixel(im, (size_t(y) * im.width + x) * 4);
  return count;
}

TEST(ShapeWindow, SamplesIsoClipAndObjExport) {
  ASSERT_TRUE(fs::exists(shapeModel())) << "the shipped shape model is missing: " << shapeModel();
  const fs::path dir = tempDir("shape");
  const char* shots = std::getenv("FIELDSCOPE_SHAPE_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  const fs::path obj = dir / "sample.obj";
  auto cap = [&](const std::string& name) { return json{{"capture", (out / name).string()}, {"region", "window"}}; };
  auto vcap = [&](const std::string& name) { return json{{"capture", (dir / name).string()}, {"region", "viewport"}}; };
  auto until = json{{"until", "converged"}, {"max_frames", 4000}};
  const json steps = json::array({
      // 64^3 grids: the bakes take seconds on a loaded 2-core machine, not a minute
      {{"state", {{"view3d", {{"resolution", 64}}}}}}, until, cap("shape_seed0.png"),
      {{"state", {{"sample", {{"kind", "seed"}, {"seed", 5}, {"steps", 50}}}}}}, until, cap("shape_seed5.png"),
      {{"state", {{"view3d", {{"iso", 0.15}}}}}}, until, cap("shape_seed5_iso015.png"),
      {{"state", {{"view3d", {{"iso", 0.85}}}}}}, until, cap("shape_seed5_iso085.png"),
      {{"state", {{"view3d", {{"iso", 0.5}, {"clip", {{"enabled", true}, {"axis", "z"}, {"offset", 0.0}}}}}}}}, until,
      cap("shape_seed5_clip.png"),
      {{"export", {{"kind", "obj"}, {"path", obj.string()}, {"width", 96}}}},
      // The exported OBJ loaded back: Import OBJ shows it (left) beside the model's encoding (right).
      {{"state", {{"view3d", {{"clip", {{"enabled", false}}}}}, {"sample", {{"kind", "encoded"}, {"mesh", obj.string()}}}}}},
      until, cap("shape_import_beside.png"), vcap("import_viewport.png"),
      {{"state", {{"sample", {{"kind", "grid"}, {"seed", 0}, {"steps", 20}}}}}}, until, cap("shape_seed_grid.png"),
      vcap("grid_viewport.png"),
  });
  const StepsRun r = runSteps(shapeModel(), dir, steps);
  ASSERT_EQ(r.status, 0) << r.output;
  const json& l = r.log;
  ASSERT_EQ(l.at("captures").size(), 9u) << r.output;

  auto img = [&](const std::string& name) { return readImageRgba8(out / name); };
  const auto seed0 = img("shape_seed0.png"), seed5 = img("shape_seed5.png"), thin = img("shape_seed5_iso085.png"),
             thick = img("shape_seed5_iso015.png"), clip = img("shape_seed5_clip.png");
  EXPECT_GT(differingPixels(seed0, seed5), 2000) << "two seeds drew the same picture";
  EXPECT_GT(differingPixels(thin, thick), 500) << "the iso-level did not change the picture";
  EXPECT_GT(differingPixels(seed5, clip), 500) << "the clip plane did not cut";
  // The iso-level and the clip plane are uniforms: no bake between the seed-5 captures.
  const auto& caps = l.at("captures");
  EXPECT_EQ(caps[1].at("numbers").at("bakes_requested"), caps[4].at("numbers").at("bakes_requested"));

  ASSERT_EQ(l.at("exports").size(), 1u);
  EXPECT_TRUE(l.at("exports")[0].at("ok").get<bool>()) << l.at("exports")[0].dump();
  const Mesh mesh = readObj(obj).mesh;
  const MeshStats s = computeMeshStats(mesh);
  EXPECT_GT(s.faces, 100u);
  EXPECT_TRUE(s.closedManifold()) << "boundary edges " << s.boundaryEdges << ", non-manifold " << s.nonManifoldEdges;
  EXPECT_GT(s.volume, 0.0);

  // Mosaics: the imported mesh and its encoding side by side; nine seeds in three rows.
  const auto beside = readImageRgba8(dir / "import_viewport.png"), grid = readImageRgba8(dir / "grid_viewport.png");
  const auto halves = shapeColumns(beside, 2);
  EXPECT_GT(halves[0], 500) << "the input mesh (left) is not on screen";
  EXPECT_GT(halves[1], 500) << "its encoding (right) is not on screen";
  const auto thirds = shapeColumns(grid, 3), rowsOf = shapeRows(grid, 3);
  for (int k = 0; k < 3; ++k) {
    EXPECT_GT(thirds[k], 300) << "seed grid column " << k << " is empty";
    EXPECT_GT(rowsOf[k], 300) << "seed grid row " << k << " is empty";
  }
}

}  // namespace
}  // namespace fieldscope
