// Classifier-free guidance in the real app (issue 16), under Xvfb + lavapipe with validation, on
// the shipped class-conditional image model: the group and guidance of the view's sample state
// (what the Sample panel's Group combo and Guidance slider edit) decide what the view samples, and
// the seed grid shows each cell's group. The window capture is the docs' screenshot when
// FIELDSCOPE_GUIDANCE_SCREENSHOTS names a folder.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "model/diffusion/class_guidance.h"
#include "model/image/image_model.h"
#include "model/io/png_file.h"
#include "steps_run.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;
using nlohmann::json;

TEST(GuidanceWindow, TheGroupInTheSampleStateIsWhatTheViewSamplesAndTheGridShowsGroups) {
  const fs::path model = FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm";
  const DiffusionClasses classes = ImageModel::load(model)->classes();
  ASSERT_FALSE(classes.empty()) << "the shipped image model should be class-conditional (issue 16)";
  // A model of emoji groups, or of their subgroups (listed under their groups in the Sample panel).
  const bool subgroups = !classes.parents.empty();
  const int flags = findClass(classes.names, subgroups ? "country-flag" : "flags"),
            smileys = findClass(classes.names, subgroups ? "face-smiling" : "smileys");
  const std::vector<std::string> groups = groupsOf(classes);
  const int wholeGroup = subgroups ? groupClass(findClass(groups, "flags")) : flags;
  const fs::path dir = tempDir("guidance");
  const char* shots = std::getenv("FIELDSCOPE_GUIDANCE_SCREENSHOTS");
  const fs::path out = shots ? fs::path(shots) : dir;
  auto vcap = [&](const std::string& name) { return json{{"capture", (dir / name).string()}, {"region", "viewport"}}; };
  auto until = json{{"until", "converged"}, {"max_frames", 4000}};
  auto sample = [&](int group, double guidance) {
    return json{{"state", {{"sample", {{"seed", 4}, {"steps", 20}, {"group", group}, {"guidance", guidance}}}}}};
  };
  const json steps = json::array({
      sample(flags, 3), until, vcap("flags.png"),
      sample(smileys, 3), until, vcap("smileys.png"),
      sample(flags, 0), until, vcap("unguided.png"),
      sample(kNoClass, 3), until, vcap("none.png"),
      {{"state", {{"sample", {{"seed", 0}, {"steps", 20}, {"group", kAnyClass}, {"guidance", 3}}}, {"grid", true}}}}, until,
      {{"capture", (out / "guidance_seed_grid.png").string()}, {"region", "window"}},
      // a model of subgroups guided towards a whole group: each seed one of its subgroups
      {{"state", {{"sample", {{"seed", 0}, {"steps", 20}, {"group", wholeGroup}, {"guidance", 1}}}, {"grid", true}}}}, until,
      {{"capture", (out / "guidance_group_grid.png").string()}, {"region", "window"}},
  });
  const StepsRun r = runSteps(model, dir, steps, "1100x700");
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_EQ(r.log.at("captures").size(), 6u) << r.output;
  auto img = [&](const std::string& name) { return readImageRgba8(dir / name); };
  const auto a = img("flags.png"), b = img("smileys.png"), unguided = img("unguided.png"), none = img("none.png");
  const int pixels = a.width * a.height;
  EXPECT_GT(differingPixels(a, b), pixels / 20) << "another group did not change the sample";
  EXPECT_GT(differingPixels(a, unguided), pixels / 20) << "guidance 0 looks like guidance 3";
  EXPECT_EQ(differingPixels(unguided, none), 0) << "guidance 0 and group none should both be the unguided sample";
  const auto anyGrid = readImageRgba8(out / "guidance_seed_grid.png"), groupGrid = readImageRgba8(out / "guidance_group_grid.png");
  EXPECT_GT(differingPixels(anyGrid, groupGrid), anyGrid.width * anyGrid.height / 20) << "the whole group sampled as 'any'";
}

}  // namespace
}  // namespace fieldscope
