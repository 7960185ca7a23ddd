// File > Import DDMI checkpoint in the real window (issue: DDMI as its authors built it): the
// authors' files (the python3-torch fixture of tests/import/write_ddmi_checkpoint.py, their layout
// with random weights) become a model file that the viewer opens and samples; a file with a
// missing key is refused in the dialog, naming the key, and the open model stays.
#include <gtest/gtest.h>

#include "model/checkpoint/checkpoint.h"
#include "steps_run.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;
using nlohmann::json;

const fs::path kImportFixture = FIELDSCOPE_DDMI_FIXTURE_DIR;

TEST(ImportWindow, FileImportTurnsTheAuthorsFilesIntoAModelThatOpensAndSamples) {
  if (!fs::exists(kImportFixture / "ok" / "ldm-last.pt"))
    GTEST_SKIP() << "no DDMI checkpoint fixture in " << kImportFixture << ": python3-torch is not installed";
  const fs::path dir = tempDir("import-window");
  const fs::path out = dir / "imported.fsm", refused = dir / "refused.fsm";
  const json steps = json::array({
      {{"until", "converged"}},                                                        // 0
      {{"show", "import"}}, {{"frames", 2}},                                           // 1, 2
      {{"capture", (dir / "dialog.png").string()}},                                    // 3
      {{"import", {{"vae", (kImportFixture / "missing" / "model-last.pt").string()},  // 4: refused
                   {"config", (kImportFixture / "missing" / "config.yaml").string()},
                   {"out", refused.string()}}}},
      {{"frames", 2}},                                                                  // 5
      {{"capture", (dir / "refused.png").string()}},                                   // 6
      {{"import", {{"ldm", (kImportFixture / "ok" / "ldm-last.pt").string()},         // 7: imported and opened
                   {"config", (kImportFixture / "ok" / "config_ldm.yaml").string()},
                   {"out", out.string()}}}},
      {{"until", "converged"}},                                                        // 8
      {{"capture", (dir / "imported.png").string()}},                                  // 9
  });
  const StepsRun r = runSteps(shippedModel(), dir, steps, "900x600");
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_TRUE(r.log.is_object()) << r.output;
  ASSERT_EQ(r.log["imports"].size(), 2u) << r.log.dump(1);
  const std::string first = r.log["imports"][0]["message"].get<std::string>();
  EXPECT_NE(first.find("lacks key 'decoder.conv_out.bias'"), std::string::npos) << first;
  EXPECT_FALSE(fs::exists(refused)) << "nothing written for a refused import";
  EXPECT_NE(r.log["imports"][0]["source"].get<std::string>().find("emoji-image.fsm"), std::string::npos)
      << "the open model stays: " << r.log["imports"][0]["source"];
  EXPECT_NE(r.log["imports"][1]["message"].get<std::string>().find("imported"), std::string::npos);
  const Checkpoint c = loadCheckpoint(out, "image");
  EXPECT_EQ(c.config.at("kind"), "vae+ldm");
  EXPECT_EQ(c.config.at("vae").at("architecture"), "ddmi");
  EXPECT_NE(r.log["source"].get<std::string>().find("imported.fsm"), std::string::npos)
      << "the imported model is the one shown: " << r.log["source"];
  EXPECT_EQ(r.log["validation_errors"], 0);
}

}  // namespace
}  // namespace fieldscope
