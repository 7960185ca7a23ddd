// The session file: round trip, defaults for missing sections, a corrupt or wrong file is
// reported naming it and moved aside (never deleted), atomic writes, throttled autosave.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/gui/session_autosave.h"
#include "app/gui/session_file.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

struct SessionFileTest : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("fieldscope-session-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  void writeText(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
  std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

Session someSession() {
  Session s;
  s.modelPath = "/models/emoji image.fsm";
  s.sample.seed = 123456789012345ull;
  s.sample.steps = 17;
  s.sample.eta = 0.25f;
  s.sample.blend = true;
  s.sample.seedB = 42;
  s.sample.t = 0.375f;
  s.sample.plane = true;
  s.sample.planeX = 3.25;
  s.sample.planeY = 0.1;
  s.grid = false;
  s.haveView = true;
  s.cx = 0.123456789012345678;
  s.cy = -0.5;
  s.zoom = 123456.789;
  s.settings.tileCacheMB = 256;
  s.showSettings = true;
  return s;
}

TEST_F(SessionFileTest, RoundTripIsExact) {
  SessionFile f(dir / "sub" / "session.json");
  const Session s = someSession();
  f.save(s);  // creates the folder
  std::string problem;
  const auto back = f.load(problem);
  ASSERT_TRUE(back.has_value()) << problem;
  EXPECT_TRUE(problem.empty());
  EXPECT_EQ(*back, s);
  EXPECT_EQ(back->cx, s.cx) << "doubles survive bit-exactly";
  for (const auto& e : fs::directory_iterator(dir / "sub"))
    EXPECT_EQ(e.path().filename(), "session.json") << "no temporary file left behind";
}

TEST_F(SessionFileTest, MissingFileIsNoProblem) {
  SessionFile f(dir / "session.json");
  std::string problem = "x";
  EXPECT_FALSE(f.load(problem).has_value());
  EXPECT_TRUE(problem.empty());
  EXPECT_TRUE(f.canSave());
}

TEST_F(SessionFileTest, MissingSectionsTakeDefaults) {
  writeText(dir / "session.json", R"({"version": 1, "model": null})");
  SessionFile f(dir / "session.json");
  std::string problem;
  const auto s = f.load(problem);
  ASSERT_TRUE(s.has_value()) << problem;
  EXPECT_EQ(*s, Session{});
  EXPECT_FALSE(s->haveView);
  EXPECT_EQ(s->settings.tileCacheMB, ViewerSettings::kDefaultTileCacheMB);
}

TEST_F(SessionFileTest, TileCacheBudgetIsClampedToItsRange) {
  writeText(dir / "session.json", R"({"version": 1, "settings": {"tile_cache_mb": 100000}})");
  SessionFile f(dir / "session.json");
  std::string problem;
  EXPECT_EQ(f.load(problem)->settings.tileCacheMB, ViewerSettings::kMaxTileCacheMB);
}

TEST_F(SessionFileTest, CorruptFileIsReportedAndMovedAsideNotDeleted) {
  const std::string garbage = "{\"version\": 1, \"sample\": {\"seed\": 3,";  // cut short
  const fs::path p = dir / "session.json";
  writeText(p, garbage);
  SessionFile f(p);
  std::string problem;
  EXPECT_FALSE(f.load(problem).has_value());
  EXPECT_NE(problem.find(p.string()), std::string::npos) << problem;
  EXPECT_NE(problem.find("not valid JSON"), std::string::npos) << problem;
  EXPECT_FALSE(fs::exists(p));
  ASSERT_TRUE(fs::exists(dir / "session.json.bad"));
  EXPECT_EQ(readText(dir / "session.json.bad"), garbage) << "the user's bytes are kept";
  EXPECT_TRUE(f.canSave());

  // A second bad file does not replace the first one kept aside.
  writeText(p, "[1, 2]");
  EXPECT_FALSE(f.load(problem).has_value());
  EXPECT_EQ(readText(dir / "session.json.bad"), garbage);
  EXPECT_EQ(readText(dir / "session.json.bad.1"), "[1, 2]");
}

TEST_F(SessionFileTest, WrongTypesAndValuesAreCorrupt) {
  const char* cases[] = {
      R"({"version": 1, "sample": {"seed": "three"}})",
      R"({"version": 1, "sample": {"steps": 0}})",
      R"({"version": 1, "sample": {"t": 2.5}})",
      R"({"version": 1, "view": {"cx": 0.5, "cy": 0.5, "zoom": -1}})",
      R"({"version": 1, "view": [1, 2, 3]})",
      R"({"version": 7})",
      R"("just a string")",
  };
  for (const char* text : cases) {
    const fs::path p = dir / "session.json";
    writeText(p, text);
    SessionFile f(p);
    std::string problem;
    EXPECT_FALSE(f.load(problem).has_value()) << text;
    EXPECT_NE(problem.find(p.string()), std::string::npos) << text << " -> " << problem;
    EXPECT_FALSE(fs::exists(p)) << text;
  }
}

TEST_F(SessionFileTest, AFolderInPlaceOfTheFileIsMovedAsideToo) {
  fs::create_directories(dir / "session.json");
  SessionFile f(dir / "session.json");
  std::string problem;
  EXPECT_FALSE(f.load(problem).has_value());
  EXPECT_NE(problem.find("folder"), std::string::npos) << problem;
  EXPECT_TRUE(fs::is_directory(dir / "session.json.bad"));
  f.save(someSession());
  EXPECT_TRUE(fs::is_regular_file(dir / "session.json"));
}

TEST_F(SessionFileTest, AutosaveIsThrottledAndSkipsUnchangedSessions) {
  SessionAutosave a(SessionFile(dir / "session.json"), 1.0);
  Session s = someSession();
  EXPECT_EQ(a.offer(s, 10.0), "");
  EXPECT_EQ(a.writes(), 1);
  s.sample.seed = 5;
  a.offer(s, 10.2);  // too soon
  a.offer(s, 10.9);
  EXPECT_EQ(a.writes(), 1);
  a.offer(s, 11.05);
  EXPECT_EQ(a.writes(), 2);
  a.offer(s, 20.0);  // unchanged
  EXPECT_EQ(a.writes(), 2);
  s.sample.seed = 6;
  a.offer(s, 20.1);  // changed, and the last write was at 11.05
  EXPECT_EQ(a.writes(), 3);
  s.sample.seed = 7;
  a.offer(s, 20.2);
  EXPECT_EQ(a.writes(), 3);
  EXPECT_EQ(a.flush(s), "");  // exit: written whatever the time
  EXPECT_EQ(a.writes(), 4);
  std::string problem;
  EXPECT_EQ(SessionFile(dir / "session.json").load(problem)->sample.seed, 7u);
}

TEST_F(SessionFileTest, AutosaveReportsAWriteFailureOnce) {
  writeText(dir / "blocker", "a file where the folder should be");
  SessionAutosave a(SessionFile(dir / "blocker" / "session.json"), 0.0);
  Session s = someSession();
  const std::string first = a.offer(s, 1.0);
  EXPECT_NE(first.find("blocker"), std::string::npos) << first;
  s.sample.seed = 99;
  EXPECT_EQ(a.offer(s, 2.0), "") << "the same failure is not repeated every frame";
  EXPECT_EQ(a.writes(), 0);
}

}  // namespace
}  // namespace fieldscope
