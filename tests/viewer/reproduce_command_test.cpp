// "Copy command" of the image view (issue 15, item 9): the command line reproduces the view --
// run headless, it writes the same seed, region and size the view shows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "app/domains/image/reproduce_command.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

TEST(ReproduceCommand, ASampleViewIsAHeadlessSampleOfTheSameRegionAndSize) {
  ReproduceRequest r;
  r.model = FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm";
  r.spec.seed = 35;
  r.spec.steps = 4;
  r.region = {0.25, 0.125, 0.75, 0.4375};
  r.width = 64;
  r.height = 40;
  const std::string cmd = reproduceCommand(r);
  EXPECT_EQ(cmd.rfind("fieldscope sample --model ", 0), 0u) << cmd;
  // Run it (in a scratch folder: it names its own output) and read the sidecar back.
  const fs::path dir = fs::temp_directory_path() / ("fieldscope-repro-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string run = "cd '" + dir.string() + "' && '" FIELDSCOPE_BINARY "'" + cmd.substr(std::string("fieldscope").size()) +
                          " > /dev/null 2>&1";
  ASSERT_EQ(std::system(run.c_str()), 0) << run;
  std::ifstream side(dir / "seed-35.png.json");
  const nlohmann::json j = nlohmann::json::parse(side, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["seed"], 35);
  EXPECT_EQ(j["steps"], 4);
  EXPECT_EQ(j["size"], nlohmann::json({64, 40}));
  EXPECT_EQ(j["region"], nlohmann::json({0.25, 0.125, 0.75, 0.4375}));
  fs::remove_all(dir);
}

TEST(ReproduceCommand, GridsBlendsAndFileNamesThatNeedQuoting) {
  ReproduceRequest r;
  r.model = "/my models/it's.fsm";
  r.spec.seed = 16;
  r.gridMode = true;
  EXPECT_NE(reproduceCommand(r).find("--model '/my models/it'\\''s.fsm' --seed 16"), std::string::npos)
      << reproduceCommand(r);
  EXPECT_NE(reproduceCommand(r).find("--grid 4x4"), std::string::npos);
  EXPECT_EQ(reproduceCommand(r).find("--group"), std::string::npos) << "a model without classes takes no --group";
  r.group = "Animals & Nature";  // a class-conditional model's group and guidance
  r.guidance = 2.5;
  EXPECT_NE(reproduceCommand(r).find("--group 'Animals & Nature' --guidance 2.5"), std::string::npos) << reproduceCommand(r);
  r.group.clear();
  r.gridMode = false;
  r.spec.blend = true;
  r.spec.seedB = 7;
  r.spec.t = 0.5f;
  r.region = {0.25, 0.25, 0.75, 0.75};
  const std::string blend = reproduceCommand(r);
  EXPECT_EQ(blend.rfind("fieldscope --model ", 0), 0u) << "the viewer's command: sample has no --blend";
  EXPECT_NE(blend.find("--blend 7,0.5 --view 0.5,0.5,2"), std::string::npos) << blend;
}

}  // namespace
}  // namespace fieldscope
