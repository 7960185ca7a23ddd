// What the viewer opens at start: --model starts fresh; the session comes back with the
// command line's --seed/--blend/--grid and --view on top; malformed options name themselves.
#include <gtest/gtest.h>

#include "app/gui/startup_plan.h"

namespace fieldscope {
namespace {

Session imageSession() {
  Session s;
  s.domain = "image";
  s.modelPath = "/models/m.fsm";
  s.state = {{"sample", {{"seed", 5}, {"steps", 20}}}, {"grid", false}, {"view", {{"cx", 0.3}, {"cy", 0.4}, {"zoom", 4.0}}}};
  return s;
}

TEST(StartupPlan, ModelOnTheCommandLineStartsFresh) {
  GuiOptions o;
  o.modelPath = "/x/other.fsm";
  o.seed = 3;
  const StartupPlan p = planStartup(o, imageSession());
  EXPECT_EQ(p.file, "/x/other.fsm");
  EXPECT_TRUE(p.fromUser);
  EXPECT_FALSE(p.stateFromSession);
  EXPECT_EQ(p.state["sample"], nlohmann::json({{"seed", 3}}));
  EXPECT_FALSE(p.state.contains("view")) << "not the session's view of another model";
}

TEST(StartupPlan, TheSessionComesBackWithTheCommandLineOnTop) {
  GuiOptions o;
  StartupPlan p = planStartup(o, imageSession());
  EXPECT_EQ(p.file, "/models/m.fsm");
  EXPECT_FALSE(p.fromUser);
  EXPECT_TRUE(p.stateFromSession);
  EXPECT_EQ(p.state, imageSession().state);

  o.seed = 9;
  o.seedGiven = true;
  o.blend = "7,0.25";
  p = planStartup(o, imageSession());
  EXPECT_EQ(p.state["sample"]["seed"], 9);
  EXPECT_EQ(p.state["sample"]["seed_b"], 7);
  EXPECT_EQ(p.state["sample"]["t"], 0.25);
  EXPECT_EQ(p.state["view"]["zoom"], 4.0) << "--seed keeps the session's view";

  GuiOptions v;
  v.initialView = "0.1,0.2,3";
  p = planStartup(v, imageSession());
  EXPECT_EQ(p.state["sample"]["seed"], 5) << "--view keeps the session's sample";
  EXPECT_EQ(p.state["view"], nlohmann::json({{"cx", 0.1}, {"cy", 0.2}, {"zoom", 3.0}}));
}

TEST(StartupPlan, NothingToOpenIsTheProceduralField) {
  GuiOptions o;
  o.initialView = "0.5,0.5,10";
  const StartupPlan p = planStartup(o, std::nullopt);
  EXPECT_TRUE(p.file.empty());
  EXPECT_EQ(p.state["view"]["zoom"], 10.0);
}

// A first start (no session, no --model) opens the shipped model on its featured seed; the
// command line still applies; --test-pattern asks for the procedural field even then.
TEST(StartupPlan, AFirstStartOpensTheShippedModelUnlessTheTestPatternIsAsked) {
  GuiOptions o;
  const FirstStart first{"/shipped/emoji-image.fsm", 35};
  StartupPlan p = planStartup(o, std::nullopt, first);
  EXPECT_EQ(p.file, "/shipped/emoji-image.fsm");
  EXPECT_FALSE(p.fromUser) << "a problem with it is a status line, not a dialog";
  EXPECT_EQ(p.state["sample"]["seed"], 35);
  o.initialView = "0.5,0.5,3";
  p = planStartup(o, std::nullopt, first);
  EXPECT_EQ(p.state["view"]["zoom"], 3.0);
  EXPECT_EQ(p.state["sample"]["seed"], 35);
  o.seed = 9;
  o.seedGiven = true;
  EXPECT_EQ(planStartup(o, std::nullopt, first).state["sample"]["seed"], 9);
  o.testPattern = true;
  EXPECT_TRUE(planStartup(o, std::nullopt, first).file.empty());
  EXPECT_TRUE(planStartup(o, imageSession(), first).file.empty()) << "over the session too";
  EXPECT_EQ(planStartup(GuiOptions{}, imageSession(), first).file, "/models/m.fsm") << "a session wins over the first start";
}

TEST(StartupPlan, MalformedOptionsNameThemselves) {
  const std::pair<std::string, std::string> cases[] = {
      {"blend", "7"}, {"blend", "7,2"}, {"view", "1,2"}, {"view", "0.5,0.5,-1"}, {"view", "1e19,0.5,1"}, {"view", "0.5,0.5,1e9"}};
  for (const auto& [which, value] : cases) {
    GuiOptions o;
    o.modelPath = "/m.fsm";
    (which == "blend" ? o.blend : o.initialView) = value;
    try {
      planStartup(o, std::nullopt);
      ADD_FAILURE() << which << " " << value << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("--" + which), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace fieldscope
