// The domain interface through the real app (docs/architecture.md "Adding a domain"): a
// test-only domain, added by one folder and one line (tests/domains/), is opened, drawn, saved
// and restored by the same code paths as the image domain; files the build cannot open are
// refused with a message naming them while the open view stays; a field whose decode fails is
// reported once, not retried in a loop.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "model/checkpoint/checkpoint.h"
#include "model/io/png_file.h"
#include "process.h"
#include "window_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using namespace fieldscope::testing;

fs::path constantFile(const fs::path& dir, const std::string& content) {
  const fs::path p = dir / "colour.constant";
  std::ofstream(p) << "fieldscope-constant " << content << "\n";
  return p;
}

// The colour at the middle of the viewport (the window is 640x400; the field fills its middle).
std::array<int, 3> centre(const fs::path& png) {
  const Rgba8Image img = readImageRgba8(png);
  const size_t i = (size_t(img.height / 2) * img.width + img.width / 2 - 60) * 4;
  return {img.pixels[i], img.pixels[i + 1], img.pixels[i + 2]};
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

TEST(Domains, ATestDomainIsOpenedDrawnSavedAndRestored) {
  const fs::path dir = tempDir("domain-constant");
  const std::string env = envWithConfig(dir / "config");
  const fs::path sessionFile = dir / "config" / "fieldscope" / "session.json";
  const fs::path file = constantFile(dir, "200 40 90");
  const std::string common = " --size 640x400 --frames 3 --wait-detail";

  ProcessResult r = runFieldscope("--model '" + file.string() + "' --screenshot '" + (dir / "a.png").string() + "'" + common, env);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(centre(dir / "a.png"), (std::array<int, 3>{200, 40, 90})) << "drawn by the compositor from its tiles";
  nlohmann::json j = nlohmann::json::parse(readText(sessionFile));
  EXPECT_EQ(j["domain"], "constant");
  EXPECT_EQ(j["model"], fs::weakly_canonical(file).string());
  EXPECT_EQ(j["state"]["color"], nlohmann::json({200, 40, 90}));

  // The next start restores the domain's own state: change it in the file to see it come back.
  j["state"]["color"] = {10, 220, 30};
  std::ofstream(sessionFile) << j.dump();
  r = runFieldscope("--screenshot '" + (dir / "b.png").string() + "'" + common, env);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(centre(dir / "b.png"), (std::array<int, 3>{10, 220, 30}));
  j = nlohmann::json::parse(readText(sessionFile));
  EXPECT_EQ(j["domain"], "constant");
  EXPECT_EQ(j["state"]["color"], nlohmann::json({10, 220, 30}));

  // An unusable state for that domain: kept aside, the file opens with its defaults.
  j["state"]["color"] = {10, 999, 30};
  std::ofstream(sessionFile) << j.dump();
  r = runFieldscope("--screenshot '" + (dir / "c.png").string() + "'" + common, env);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("color entries must be 0..255"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(sessionFile.string() + ".bad"));
  EXPECT_EQ(centre(dir / "c.png"), (std::array<int, 3>{200, 40, 90}));
}

// Files this build cannot open: the message names the file, the open view and the session stay
// (the session written on exit still holds the constant file and its state).
TEST(Domains, FilesNoDomainOpensAreRefusedAndTheViewStays) {
  const fs::path dir = tempDir("domain-refusals");
  const std::string env = envWithConfig(dir / "config");
  const fs::path sessionFile = dir / "config" / "fieldscope" / "session.json";
  const fs::path file = constantFile(dir, "30 60 240");
  ASSERT_EQ(runFieldscope("--model '" + file.string() + "' --screenshot '" + (dir / "start.png").string() +
                              "' --size 640x400 --frames 3 --wait-detail", env)
                .status,
            0);

  Checkpoint shape;
  shape.config = {{"domain", "shape"}, {"kind", "vae+ldm"}};
  saveCheckpoint(dir / "shape.fsm", shape);
  writePng(dir / "photo.png", Rgba8Image{4, 4, std::vector<uint8_t>(64, 128)});
  std::ofstream(dir / "notes.txt") << "not a model";
  Checkpoint brokenImage;
  brokenImage.config = {{"domain", "image"}, {"kind", "vae+ldm"}};
  saveCheckpoint(dir / "broken-image.fsm", brokenImage);
  const std::pair<std::string, std::string> cases[] = {
      {"shape.fsm", "domain 'shape', which this build cannot open"},
      {"photo.png", "needs a super-resolution model"},
      {"notes.txt", "not a Fieldscope model file"},
      {"missing.fsm", "no such file"},
      {"broken-image.fsm", "broken-image.fsm"},  // the image domain's own load refuses it
  };
  for (const auto& [name, says] : cases) {
    const fs::path shot = dir / (name + ".png");
    const ProcessResult r = runFieldscope("--script 'open:" + (dir / name).string() + "' --screenshot '" +
                                              shot.string() + "' --size 640x400 --frames 3",
                                          env);
    ASSERT_EQ(r.status, 0) << name << "\n" << r.output;
    EXPECT_NE(r.output.find((dir / name).string()), std::string::npos) << "the message names the file\n" << r.output;
    EXPECT_NE(r.output.find(says), std::string::npos) << name << "\n" << r.output;
    EXPECT_TRUE(fs::exists(shot)) << name;  // (the error dialog covers the middle of this screenshot)
    const nlohmann::json j = nlohmann::json::parse(readText(sessionFile));
    EXPECT_EQ(j["domain"], "constant") << name;
  }
}

TEST(Domains, AFailingDecodeIsReportedOnceAndNotRetried) {
  const fs::path dir = tempDir("domain-failing");
  const fs::path file = constantFile(dir, "fail");
  const ProcessResult r = runFieldscope(
      "--no-session --model '" + file.string() + "' --screenshot '" + (dir / "f.png").string() + "' --size 640x400 --frames 40",
      envWithConfig(dir / "config"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(count(r.output, "fails on purpose"), 1u) << "one report, not one per frame or tile:\n" << r.output;
}

}  // namespace
}  // namespace fieldscope
