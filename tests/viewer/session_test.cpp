// The session file: round trip, defaults for missing sections, a corrupt or wrong file is
// reported naming it and moved aside (never deleted), atomic writes, throttled autosave.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
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
  s.domain = "image";
  s.modelPath = "/models/emoji image.fsm";
  s.state = {{"sample",
              {{"seed", 123456789012345ull}, {"steps", 17}, {"eta", 0.25}, {"blend", true}, {"seed_b", 42},
               {"t", 0.375}, {"plane", true}, {"plane_x", 3.25}, {"plane_y", 0.1}}},
             {"grid", false},
             {"view", {{"cx", 0.123456789012345678}, {"cy", -0.5}, {"zoom", 123456.789}}}};
  s.settings.tileCacheMB = 256;
  s.showSettings = true;
  s.recentFiles = {"/models/emoji image.fsm", "/photos/a.png"};
  s.recentFolders = {"/home/me/exports"};
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
  EXPECT_EQ(back->state["view"]["cx"].get<double>(), 0.123456789012345678) << "doubles survive bit-exactly";
  EXPECT_EQ(back->state["sample"]["seed"].get<uint64_t>(), 123456789012345ull) << "seeds survive exactly";
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
  EXPECT_FALSE(s->state.contains("view"));
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
      R"({"version": 2, "state": [1, 2]})",
      R"({"version": 2, "model": "/m.fsm"})",
      R"({"version": 2, "domain": 3, "model": "/m.fsm"})",
      R"({"version": 2, "panels": {"performance": "yes"}})",
      R"({"version": 7})",
      R"("just a string")",
      // Numbers that are not whole or do not fit: refused, never cast (1e30 to int is undefined).
      R"({"version": 1e30})",
      R"({"version": 2.5})",
      R"({"version": 2, "settings": {"tile_cache_mb": 1e300}})",
      R"({"version": 2, "recent": {"files": "/m.fsm"}})",
      R"({"version": 2, "recent": {"folders": [3]}})",
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

// Version 1 (image models only) is read: its sample, grid and view become the image view's state.
TEST_F(SessionFileTest, Version1FilesAreConvertedToTheImageDomain) {
  writeText(dir / "session.json",
            R"({"version": 1, "model": "/m.fsm", "sample": {"seed": 3}, "grid": true, "view": {"cx": 0.25, "cy": 0.5, "zoom": 2}})");
  SessionFile f(dir / "session.json");
  std::string problem;
  const auto s = f.load(problem);
  ASSERT_TRUE(s.has_value()) << problem;
  EXPECT_EQ(s->domain, "image");
  EXPECT_EQ(s->modelPath, "/m.fsm");
  EXPECT_EQ(s->state["sample"]["seed"], 3);
  EXPECT_EQ(s->state["grid"], true);
  EXPECT_EQ(s->state["view"]["zoom"], 2);
}

// A session that parsed but whose view state is unusable goes aside like a corrupt one.
TEST_F(SessionFileTest, SetAsideKeepsTheFileAndNamesIt) {
  SessionFile f(dir / "session.json");
  f.save(someSession());
  const std::string problem = f.setAside("view.zoom is outside x0.25 .. x1e6");
  EXPECT_NE(problem.find((dir / "session.json").string()), std::string::npos) << problem;
  EXPECT_NE(problem.find("view.zoom"), std::string::npos) << problem;
  EXPECT_FALSE(fs::exists(dir / "session.json"));
  EXPECT_TRUE(fs::exists(dir / "session.json.bad"));
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
  s.state["sample"]["seed"] = 5;
  a.offer(s, 10.2);  // too soon
  a.offer(s, 10.9);
  EXPECT_EQ(a.writes(), 1);
  a.offer(s, 11.05);
  EXPECT_EQ(a.writes(), 2);
  a.offer(s, 20.0);  // unchanged
  EXPECT_EQ(a.writes(), 2);
  s.state["sample"]["seed"] = 6;
  a.offer(s, 20.1);  // changed, and the last write was at 11.05
  EXPECT_EQ(a.writes(), 3);
  s.state["sample"]["seed"] = 7;
  a.offer(s, 20.2);
  EXPECT_EQ(a.writes(), 3);
  EXPECT_EQ(a.flush(s), "");  // exit: written whatever the time
  EXPECT_EQ(a.writes(), 4);
  std::string problem;
  EXPECT_EQ(SessionFile(dir / "session.json").load(problem)->state["sample"]["seed"], 7);
}

TEST_F(SessionFileTest, AutosaveReportsAWriteFailureOnce) {
  writeText(dir / "blocker", "a file where the folder should be");
  SessionAutosave a(SessionFile(dir / "blocker" / "session.json"), 0.0);
  Session s = someSession();
  const std::string first = a.offer(s, 1.0);
  EXPECT_NE(first.find("blocker"), std::string::npos) << first;
  s.state["sample"]["seed"] = 99;
  EXPECT_EQ(a.offer(s, 2.0), "") << "the same failure is not repeated every frame";
  EXPECT_EQ(a.writes(), 0);
}

// File > Open Recent and the export's recent folders: newest first, each once, at most kRecent.
TEST(SessionRecent, NewestFirstOnceEachAndAtMostEight) {
  std::vector<std::string> list;
  for (int i = 0; i < 12; ++i) rememberRecent(list, "/f" + std::to_string(i));
  ASSERT_EQ(list.size(), Session::kRecent);
  EXPECT_EQ(list.front(), "/f11");
  rememberRecent(list, "/f8");
  EXPECT_EQ(list.front(), "/f8");
  EXPECT_EQ(std::count(list.begin(), list.end(), "/f8"), 1);
  EXPECT_EQ(list.size(), Session::kRecent);
  rememberRecent(list, "");
  EXPECT_EQ(list.front(), "/f8") << "nothing empty is remembered";
}

}  // namespace
}  // namespace fieldscope
