// The session in the real window: saved on exit, restored on the next start (model, sample,
// view: the same pixels), overridden by the command line, untouched by --no-session, and a
// corrupt file is reported, kept aside, and replaced by a fresh session.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/io/png_file.h"
#include "process.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;

nlohmann::json readJson(const fs::path& p) { return nlohmann::json::parse(readText(p)); }

// Largest channel difference between two screenshots inside a rectangle.
int maxDiff(const Rgba8Image& a, const Rgba8Image& b, int x0, int y0, int x1, int y1) {
  int worst = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      for (int c = 0; c < 3; ++c)
        worst = std::max(worst, std::abs(int(a.pixels[(size_t(y) * a.width + x) * 4 + c]) -
                                         int(b.pixels[(size_t(y) * b.width + x) * 4 + c])));
  return worst;
}

TEST(Session, SavedOnExitAndRestoredOnTheNextStart) {
  ASSERT_TRUE(fs::exists(shippedModel()));
  const fs::path dir = tempDir("session-restore");
  const std::string env = envWithConfig(dir / "config");
  const fs::path sessionFile = dir / "config" / "fieldscope" / "session.json";
  const std::string common = " --size 640x400 --frames 3 --wait-detail";

  ProcessResult r = runFieldscope("--model '" + shippedModel().string() + "' --seed 5 --view 0.3,0.4,4 --screenshot '" +
                                      (dir / "first.png").string() + "'" + common,
                                  env);
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_TRUE(fs::exists(sessionFile)) << r.output;
  nlohmann::json j = readJson(sessionFile);
  EXPECT_EQ(j["model"], fs::weakly_canonical(shippedModel()).string());
  EXPECT_EQ(j["state"]["sample"]["seed"], 5);
  EXPECT_NEAR(j["state"]["view"]["cx"].get<double>(), 0.3, 1e-12);
  EXPECT_NEAR(j["state"]["view"]["cy"].get<double>(), 0.4, 1e-12);
  EXPECT_NEAR(j["state"]["view"]["zoom"].get<double>(), 4.0, 1e-9);
  EXPECT_EQ(j["settings"]["tile_cache_mb"], 40);
  EXPECT_EQ(j["recent"]["files"][0], fs::weakly_canonical(shippedModel()).string()) << "File > Open Recent";

  // No --model: the session's model, seed and view come back -- the same picture.
  r = runFieldscope("--screenshot '" + (dir / "second.png").string() + "'" + common, env);
  ASSERT_EQ(r.status, 0) << r.output;
  const Rgba8Image a = readImageRgba8(dir / "first.png"), b = readImageRgba8(dir / "second.png");
  ASSERT_EQ(a.width, b.width);
  // The viewport left of the Sample panel, below the menu bar, above the status bar.
  EXPECT_LE(maxDiff(a, b, 10, 40, 300, 340), 2) << "the restored view shows the same sample at the same place";
  j = readJson(sessionFile);
  EXPECT_EQ(j["state"]["sample"]["seed"], 5);
  EXPECT_NEAR(j["state"]["view"]["zoom"].get<double>(), 4.0, 1e-9);

  // --seed overrides the session's sample (the model and view stay).
  r = runFieldscope("--seed 9 --screenshot '" + (dir / "third.png").string() + "' --size 640x400 --frames 3", env);
  ASSERT_EQ(r.status, 0) << r.output;
  j = readJson(sessionFile);
  EXPECT_EQ(j["state"]["sample"]["seed"], 9);
  EXPECT_EQ(j["model"], fs::weakly_canonical(shippedModel()).string());
  EXPECT_NEAR(j["state"]["view"]["zoom"].get<double>(), 4.0, 1e-9);

  // --view overrides the session's view.
  r = runFieldscope("--view 0.5,0.5,2 --screenshot '" + (dir / "fourth.png").string() + "' --size 640x400 --frames 3",
                    env);
  ASSERT_EQ(r.status, 0) << r.output;
  j = readJson(sessionFile);
  EXPECT_NEAR(j["state"]["view"]["zoom"].get<double>(), 2.0, 1e-9);
  EXPECT_EQ(j["state"]["sample"]["seed"], 9);

  // --no-session neither reads nor writes it.
  const std::string before = readText(sessionFile);
  r = runFieldscope("--no-session --screenshot '" + (dir / "fifth.png").string() + "' --size 640x400 --frames 3", env);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(readText(sessionFile), before);
}

// A first start (no session, no --model) opens the shipped image model on the first seed its card
// features, not the test pattern; --test-pattern (and View > Test pattern) still shows that.
TEST(Session, AFirstStartOpensTheShippedModelOnAFeaturedSeed) {
  const fs::path dir = tempDir("session-first-start");
  const std::string env = envWithConfig(dir / "config");
  const fs::path sessionFile = dir / "config" / "fieldscope" / "session.json";
  ProcessResult r = runFieldscope("--screenshot '" + (dir / "first.png").string() + "' --size 640x400 --frames 3", env);
  ASSERT_EQ(r.status, 0) << r.output;
  nlohmann::json j = readJson(sessionFile);
  EXPECT_EQ(j["model"], fs::weakly_canonical(shippedModel()).string());
  const nlohmann::json featured =
      readJson(shippedModel().parent_path() / shippedModel().stem() / "featured_seeds.json")["seeds"];
  ASSERT_TRUE(featured.is_array() && !featured.empty());
  EXPECT_EQ(j["state"]["sample"]["seed"], featured[0]);
  fs::remove_all(dir / "config");
  r = runFieldscope("--test-pattern --screenshot '" + (dir / "pattern.png").string() + "' --size 640x400 --frames 3", env);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(readJson(sessionFile)["model"].is_null()) << "the test pattern has no model file";
}

TEST(Session, CorruptFileIsReportedKeptAsideAndReplaced) {
  const fs::path dir = tempDir("session-corrupt");
  const fs::path sessionFile = dir / "config" / "fieldscope" / "session.json";
  fs::create_directories(sessionFile.parent_path());
  const std::string garbage = "{\"version\": 1, \"model\": \"x.fsm\", \"sample\": {\"seed\": ";
  std::ofstream(sessionFile) << garbage;
  const fs::path shot = dir / "shot.png";
  const ProcessResult r =
      runFieldscope("--screenshot '" + shot.string() + "' --size 640x400 --frames 3", envWithConfig(dir / "config"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(sessionFile.string()), std::string::npos) << "the message names the file:\n" << r.output;
  EXPECT_EQ(readText(sessionFile.string() + ".bad"), garbage) << "the user's file is kept, not deleted";
  ASSERT_TRUE(fs::exists(sessionFile)) << "a fresh session was written on exit";
  const nlohmann::json j = readJson(sessionFile);
  EXPECT_EQ(j["model"], fs::weakly_canonical(shippedModel()).string()) << "started fresh: the shipped image model";
  EXPECT_TRUE(fs::exists(shot));
}

TEST(Session, MissingModelInTheSessionStartsFresh) {
  const fs::path dir = tempDir("session-missing-model");
  const fs::path sessionFile = dir / "config" / "fieldscope" / "session.json";
  fs::create_directories(sessionFile.parent_path());
  std::ofstream(sessionFile) << R"({"version": 1, "model": "/nonexistent/gone.fsm", "sample": {"seed": 4}})";
  const ProcessResult r = runFieldscope("--screenshot '" + (dir / "shot.png").string() + "' --size 640x400 --frames 3",
                                        envWithConfig(dir / "config"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("/nonexistent/gone.fsm"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace fieldscope
