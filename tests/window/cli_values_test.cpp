// Values that used to become something else without a word (issue 15, items 6-8): each is refused
// before any work with a non-zero exit status (not a signal), with a message that names the flag, the
// value and the limit -- and nothing is written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "process.h"

namespace {
namespace fs = std::filesystem;

struct Case {
  std::string args;     // after `sample --model M --steps 2` (image model)
  std::string mention;  // must appear in the output
};

TEST(CliValues, OutOfRangeSampleValuesAreRefusedWithTheirLimits) {
  const fs::path dir = fs::temp_directory_path() / ("fieldscope-values-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string out = (dir / "x.png").string();
  const std::vector<Case> cases = {
      {"-o '" + (dir / "out.jpg").string() + "'", "'.jpg' is not written"},
      {"-o ''", "-o is empty"},
      {"--seed -1 -o '" + out + "'", "must be a whole number from 0 to 18446744073709551615"},
      {"--seed 18446744073709551616 -o '" + out + "'", "is larger than 18446744073709551615"},
      {"--region 0,0,1e-16,1e-16 -o '" + out + "'", "a region must be at least 1e-10"},
      {"--region -1e300,-1e300,1e300,1e300 -o '" + out + "'", "within +-1e+06"},
      {"--grid 0x0 -o '" + out + "'", "bad --grid '0x0': expected COLUMNSxROWS"},
      {"--size 99999x5 -o '" + out + "'", "each side from 1 to 32768"},
      {"--size 20000x30000 -o '" + out + "'", "the most one PNG may hold here is 400 megapixels"},
      {"--grid 100x100 --size 16x16 -o '" + out + "'", "samples 10000 seeds"},
      {"--renderer viewer --size 4000x2000 -o '" + out + "'", "larger than the viewer's largest viewport (3840x2400)"},
  };
  for (const Case& c : cases) {
    const auto t0 = std::chrono::steady_clock::now();
    const ProcessResult r = runFieldscope(
        "sample --model '" FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm' --steps 2 " + c.args);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_GT(r.status, 0) << c.args << " -> status " << r.status << ": " << r.output;
    EXPECT_NE(r.output.find(c.mention), std::string::npos) << c.args << ": " << r.output;
    EXPECT_EQ(r.output.find("Exception raised from"), std::string::npos) << "no C++ backtrace: " << r.output;
    EXPECT_LT(secs, 30) << c.args << ": refused only after " << secs << " s";
  }
  EXPECT_TRUE(fs::is_empty(dir)) << "nothing written";
  // --grid with --yes starts (a small picture: 65 seeds of 16x16, 2 steps).
  const ProcessResult yes = runFieldscope("sample --model '" FIELDSCOPE_SOURCE_DIR
                                          "/assets/models/emoji-image.fsm' --steps 2 --size 16x16 --grid 13x5 --yes -o '" +
                                          out + "'");
  EXPECT_EQ(yes.status, 0) << yes.output;
  EXPECT_TRUE(fs::exists(out));
  fs::remove_all(dir);
}

TEST(CliValues, ScreenshotFramesAndEmptyOrForeignModelFiles) {
  ProcessResult r = runFieldscope("--frames 0 --screenshot x.png");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("not in range 1 to 1000000"), std::string::npos) << r.output;
  const fs::path dir = fs::temp_directory_path() / ("fieldscope-notmodel-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  { std::ofstream(dir / "empty.fsm"); }
  r = runFieldscope("info '" + (dir / "empty.fsm").string() + "'");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("is empty (0 bytes), not a model file"), std::string::npos) << r.output;
  r = runFieldscope("info '" + dir.string() + "'");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("is a folder, not a model file"), std::string::npos) << r.output;
  r = runFieldscope("sample --model '" FIELDSCOPE_SOURCE_DIR "/docs/images/video_grid.png' -o '" +
                    (dir / "x.png").string() + "'");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("is a PNG picture, not a Fieldscope model file"), std::string::npos) << r.output;
  fs::remove_all(dir);
}

}  // namespace
