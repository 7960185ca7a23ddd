// File > Export PNG through the real GUI path: an input script opens the dialog, types the
// width and the file name, presses Export (the default area: the whole picture); the export runs
// on the torch thread (ExportJob).
// The PNG has the requested size and equals `fieldscope sample --renderer direct` for the
// same seed and region (within 2/255), with its sidecar; an export to a path that cannot be
// written is refused before any decoding, shows the error dialog and leaves no file behind.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/io/png_file.h"
#include "process.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;

std::string exportRun(const fs::path& out, int width, const std::string& script = "export") {
  return "--no-session --model '" + shippedModel().string() + "' --seed 3 --view 0.4,0.45,2.5 --size 640x400 --script '" +
         script + ":" + std::to_string(width) + ":" + out.string() + "'";
}

TEST(GuiExport, ExportPngMatchesTheDirectDecode) {
  ASSERT_TRUE(fs::exists(shippedModel()));
  const fs::path dir = tempDir("export-ok");
  const fs::path out = dir / "view export.png";
  const ProcessResult r = runFieldscope(exportRun(out, 200), envWithConfig(dir / "config"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("export finished"), std::string::npos) << r.output;
  ASSERT_TRUE(fs::exists(out)) << r.output;
  ASSERT_TRUE(fs::exists(out.string() + ".json")) << "the sidecar";
  const nlohmann::json side = nlohmann::json::parse(readText(out.string() + ".json"));
  ASSERT_EQ(side["seed"], 3);
  const std::vector<double> reg = side["region"].get<std::vector<double>>();
  ASSERT_EQ(reg.size(), 4u);
  // The dialog keeps the view's aspect: height = width x (region height / region width).
  const Rgba8Image img = readImageRgba8(out);
  EXPECT_EQ(img.width, 200);
  EXPECT_NEAR(img.height, 200 * (reg[3] - reg[1]) / (reg[2] - reg[0]), 1.0);
  EXPECT_EQ(side["size"][0], img.width);
  EXPECT_EQ(side["size"][1], img.height);
  // The dialog's default is the whole picture (issue 15, item 3), not the zoomed view with its margins.
  EXPECT_EQ(reg, (std::vector<double>{0, 0, 1, 1})) << "the whole picture";
  EXPECT_EQ(img.height, img.width) << "the picture's own aspect";

  // The same seed and region decoded by the headless command.
  char region[256];
  std::snprintf(region, sizeof(region), "%.17g,%.17g,%.17g,%.17g", reg[0], reg[1], reg[2], reg[3]);
  const fs::path ref = dir / "direct.png";
  const ProcessResult d = runFieldscope("sample --model '" + shippedModel().string() + "' --seed 3 --steps " +
                                        std::to_string(side["steps"].get<int>()) + " --region " + region + " --size " +
                                        std::to_string(img.width) + "x" + std::to_string(img.height) +
                                        " --renderer direct -o '" + ref.string() + "'");
  ASSERT_EQ(d.status, 0) << d.output;
  const Rgba8Image want = readImageRgba8(ref);
  ASSERT_EQ(want.width, img.width);
  ASSERT_EQ(want.height, img.height);
  int worst = 0;
  double spread = 0, mean = 0;
  for (size_t i = 0; i < img.pixels.size(); ++i) {
    worst = std::max(worst, std::abs(int(img.pixels[i]) - int(want.pixels[i])));
    mean += img.pixels[i];
  }
  mean /= double(img.pixels.size());
  for (uint8_t v : img.pixels) spread += (v - mean) * (v - mean);
  EXPECT_LE(worst, 2) << "GUI export vs direct decode";
  EXPECT_GT(std::sqrt(spread / double(img.pixels.size())), 5.0) << "not a blank image";
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "temporary left: " << e.path();
}

TEST(GuiExport, UnwritablePathShowsAnErrorAndLeavesNoFile) {
  const fs::path dir = tempDir("export-bad");
  std::ofstream(dir / "a-file") << "not a folder";
  const fs::path targets[] = {dir / "missing-folder" / "out.png", dir / "a-file" / "out.png"};
  for (const fs::path& out : targets) {
    // 4096 wide: refused before any decoding (it used to decode for 35 s, then fail vaguely).
    const auto t0 = std::chrono::steady_clock::now();
    const ProcessResult r = runFieldscope(exportRun(out, 4096), envWithConfig(dir / "config"));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_NE(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("export failed"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("error dialog: Cannot export"), std::string::npos) << r.output;
    EXPECT_TRUE(r.output.find("does not exist") != std::string::npos || r.output.find("is not a folder") != std::string::npos)
        << r.output;
    EXPECT_LT(secs, 60) << "refused up front, not after decoding 4096 pixels wide";
    EXPECT_NE(r.output.find(out.string()), std::string::npos) << "the message names the file\n" << r.output;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out.string() + ".json"));
  }
  EXPECT_FALSE(fs::exists(dir / "missing-folder"));
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_TRUE(e.path().filename() == "a-file" || e.path().filename() == "config") << "left behind: " << e.path();
}

// Export onto an existing file asks "Replace file?" first (issue 15, item 3): Cancel keeps the
// user's file and its sidecar byte for byte and starts nothing; Replace writes the new picture.
TEST(GuiExport, AnExistingFileIsReplacedOnlyAfterAskingAndKeptOnCancel) {
  const fs::path dir = tempDir("export-replace");
  const fs::path out = dir / "mine.png";
  std::ofstream(out) << "the user's picture";
  std::ofstream(out.string() + ".json") << "the user's sidecar";
  const ProcessResult keep = runFieldscope(exportRun(out, 64, "export-keep"), envWithConfig(dir / "config"));
  ASSERT_EQ(keep.status, 0) << keep.output;
  EXPECT_NE(keep.output.find("asked: Replace file? '" + out.string() + "'"), std::string::npos) << keep.output;
  EXPECT_NE(keep.output.find("export not started"), std::string::npos) << keep.output;
  EXPECT_EQ(readText(out), "the user's picture");
  EXPECT_EQ(readText(out.string() + ".json"), "the user's sidecar");

  const ProcessResult replace = runFieldscope(exportRun(out, 64), envWithConfig(dir / "config"));
  ASSERT_EQ(replace.status, 0) << replace.output;
  EXPECT_NE(replace.output.find("asked: Replace file?"), std::string::npos) << replace.output;
  EXPECT_NE(replace.output.find("export finished"), std::string::npos) << replace.output;
  EXPECT_EQ(readImageRgba8(out).width, 64);
  EXPECT_EQ(nlohmann::json::parse(readText(out.string() + ".json"))["seed"], 3);

  // A new file is written without a question.
  const ProcessResult fresh = runFieldscope(exportRun(dir / "new.png", 64), envWithConfig(dir / "config"));
  ASSERT_EQ(fresh.status, 0) << fresh.output;
  EXPECT_EQ(fresh.output.find("asked:"), std::string::npos) << fresh.output;
  EXPECT_TRUE(fs::exists(dir / "new.png"));
}

}  // namespace
}  // namespace fieldscope
