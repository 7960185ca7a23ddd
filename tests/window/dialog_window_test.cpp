// The layout and the keyboard of the real window (issue 15, item 4), driven by --script steps on
// the shipped image model at 900x600: the Sample panel is docked in a column beside the viewport
// (the picture is not under it), and every dialog closes from the keyboard -- Esc closes Help >
// Controls and the Export dialog, Enter closes About.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "model/io/png_file.h"
#include "steps_run.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;
using nlohmann::json;

// Whether a dialog was open in the last frame logged for step `step`.
bool dialogOpenAfter(const json& log, int step) {
  bool open = false, seen = false;
  for (const json& f : log["frames"])
    if (f["step"] == step) open = f["dialog_open"].get<bool>(), seen = true;
  EXPECT_TRUE(seen) << "no frame logged for step " << step;
  return open;
}

TEST(Dialogs, ThePanelIsDockedAndEveryDialogClosesFromTheKeyboard) {
  const fs::path dir = tempDir("dialogs");
  const fs::path shot = dir / "docked.png";
  const json steps = json::array({
      {{"until", "converged"}},                                     // 0
      {{"capture", shot.string()}},                                 // 1
      {{"show", "controls"}}, {{"frames", 2}},                      // 2, 3
      {{"key", "escape"}}, {{"frames", 1}},                         // 4, 5
      {{"show", "about"}}, {{"frames", 2}},                         // 6, 7
      {{"key", "enter"}}, {{"frames", 1}},                          // 8, 9
      {{"show", "export"}}, {{"frames", 2}},                        // 10, 11
      {{"key", "escape"}}, {{"frames", 1}},                         // 12, 13
  });
  const StepsRun r = runSteps(shippedModel(), dir, steps, "900x600");
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_TRUE(r.log.is_object()) << r.output;

  EXPECT_TRUE(dialogOpenAfter(r.log, 3)) << "Help > Controls opened";
  EXPECT_FALSE(dialogOpenAfter(r.log, 5)) << "Esc closed it";
  EXPECT_TRUE(dialogOpenAfter(r.log, 7)) << "About opened";
  EXPECT_FALSE(dialogOpenAfter(r.log, 9)) << "Enter closed it";
  EXPECT_TRUE(dialogOpenAfter(r.log, 11)) << "Export opened";
  EXPECT_FALSE(dialogOpenAfter(r.log, 13)) << "Esc closed it";
  EXPECT_FALSE(fs::exists("fieldscope-export.png")) << "Esc is not Export";

  // The viewport leaves the right column to the panel: at 900 px the column is 270 px.
  ASSERT_EQ(r.log["captures"].size(), 1u);
  const std::vector<int> vp = r.log["captures"][0]["viewport"].get<std::vector<int>>();
  ASSERT_EQ(vp.size(), 4u);
  EXPECT_EQ(vp[0], 0);
  EXPECT_LE(vp[0] + vp[2], 900 - 240) << "the picture stops where the panel starts";
  EXPECT_GE(vp[2], 900 - 320) << "and takes the rest of the width";
  const Rgba8Image img = readImageRgba8(shot);
  ASSERT_EQ(img.width, 900);
  auto colour = [&](int x, int y) {
    const uint8_t* p = &img.pixels[(size_t(y) * img.width + x) * 4];
    return (int(p[0]) << 16) | (int(p[1]) << 8) | p[2];
  };
  std::map<int, int> column;  // the panel: mostly its one background colour, with text and widgets
  int columnPixels = 0;
  for (int y = vp[1] + 10; y < vp[1] + vp[3] - 10; y += 2)
    for (int x = vp[0] + vp[2] + 4; x < 896; x += 2) ++column[colour(x, y)], ++columnPixels;
  const int dominant = std::max_element(column.begin(), column.end(), [](auto& a, auto& b) { return a.second < b.second; })->second;
  EXPECT_GT(dominant, columnPixels * 4 / 10) << "a panel in the right column";
  std::set<int> picture;  // the picture's middle is drawn, not covered by a window
  for (int y = vp[1] + vp[3] / 3; y < vp[1] + 2 * vp[3] / 3; y += 3)
    for (int x = vp[0] + vp[2] / 3; x < vp[0] + 2 * vp[2] / 3; x += 3) picture.insert(colour(x, y));
  EXPECT_GT(picture.size(), 40u) << "the sample is visible in the viewport";
}

}  // namespace
}  // namespace fieldscope
