// The real window under a display (Xvfb in CI, started by tests/with_display.sh), lavapipe,
// validation layers on: the binary must exit 0 only without validation errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "model/io/png_file.h"
#include "process.h"
#include "../temp_root.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

fs::path tempDir() {
  return test::processTempRoot("fieldscope-window");
}

// Validation on, and a private config folder: a developer's session never reaches the tests.
const std::string kEnv = "FIELDSCOPE_VALIDATION=1 XDG_CONFIG_HOME='" + (tempDir() / "config").string() + "'";

TEST(Window, SelftestRoundTripInARealWindow) {
  const ProcessResult r = runFieldscope("selftest --window", kEnv);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("0 pixels differ"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("errors: 0"), std::string::npos) << r.output;
}

TEST(Window, ScreenshotShowsMenuBarViewportAndStatusBar) {
  const fs::path shot = tempDir() / "shot.png";
  ProcessResult r = runFieldscope("--test-pattern --screenshot '" + shot.string() + "' --frames 5", kEnv);
  ASSERT_EQ(r.status, 0) << r.output;
  Rgba8Image img = readImageRgba8(shot);
  EXPECT_EQ(img.width, 1280);
  EXPECT_EQ(img.height, 720);

  // Once at full detail, the viewport shows the field: many distinct colours in the middle.
  r = runFieldscope("--test-pattern --screenshot '" + shot.string() + "' --frames 5 --wait-detail", kEnv);
  ASSERT_EQ(r.status, 0) << r.output;
  img = readImageRgba8(shot);
  auto px = [&](int x, int y) {
    const uint8_t* p = &img.pixels[(size_t(y) * img.width + x) * 4];
    return (int(p[0]) << 16) | (int(p[1]) << 8) | p[2];
  };
  std::set<int> viewportColours, menuColours, statusColours;
  for (int x = 400; x < 880; x += 3) viewportColours.insert(px(x, 360));
  for (int y = 2; y < 17; ++y)
    for (int x = 0; x < 200; ++x) menuColours.insert(px(x, y));  // "File View Help" on the menu bar
  for (int y = img.height - 22; y < img.height - 3; ++y)
    for (int x = 0; x < 600; ++x) statusColours.insert(px(x, y));  // device, fps, zoom text
  EXPECT_GT(viewportColours.size(), 40u) << "the field is drawn in the viewport";
  EXPECT_GT(menuColours.size(), 2u) << "menu bar text";
  EXPECT_GT(statusColours.size(), 2u) << "status bar text";
}

TEST(Window, FailedScreenshotWriteLeavesNoFile) {
  const fs::path bad = tempDir() / "missing-folder" / "shot.png";
  const ProcessResult r = runFieldscope("--test-pattern --screenshot '" + bad.string() + "' --frames 2", kEnv);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find(bad.string()), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(bad));
  EXPECT_FALSE(fs::exists(bad.parent_path()));
}

TEST(Window, ResizeAndMinimiseDoNotCrashOrLeak) {
  const ProcessResult r = runFieldscope("--test-pattern --script resize", kEnv);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output.find("validation error"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace fieldscope
