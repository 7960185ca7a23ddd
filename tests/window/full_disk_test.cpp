// Writes that fail for lack of room (issue 15, item 1): on a full disk -- a 64 KiB tmpfs when this
// test may mount one, otherwise a file-size limit (prlimit --fsize), which fails the same write()
// with EFBIG -- `sample` (PNG and MP4) and `data emoji` exit non-zero, name the file, leave the user's previous
// files as they were and leave no temporary or partial folder behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../geometry/test_files.h"
#include "process.h"

namespace {
namespace fs = std::filesystem;

std::string fileText(const fs::path& p) { return fieldscope::test::readAll(p); }
std::vector<std::string> namesIn(const fs::path& dir) { return fieldscope::test::sortedNamesIn(dir); }

// A folder where writes run out of room: a 64 KiB tmpfs if mounting is allowed (then the message
// must say "the disk is full"), else an ordinary folder and a 16 KB file-size limit on the command.
class FullDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fieldscope-full-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const std::string mount = "mount -t tmpfs -o size=64k tmpfs '" + dir_.string() + "' 2>/dev/null";
    mounted_ = ::geteuid() == 0 && std::system(mount.c_str()) == 0;
    limit_ = mounted_ ? "" : "prlimit --fsize=16000";
    reason_ = mounted_ ? "the disk is full" : "larger than this process may write";
  }
  void TearDown() override {
    if (mounted_) std::system(("umount '" + dir_.string() + "'").c_str());
    fs::remove_all(dir_);
  }
  fs::path dir_;
  bool mounted_ = false;
  std::string limit_, reason_;
};

TEST_F(FullDisk, SampleFailsNamesTheFileAndKeepsThePreviousPictureAndSidecar) {
  const fs::path out = dir_ / "x.png";
  std::ofstream(out) << "the user's picture";
  std::ofstream(dir_ / "x.png.json") << "its sidecar";
  const ProcessResult r = runFieldscope("sample --model '" FIELDSCOPE_SOURCE_DIR
                                        "/assets/models/emoji-image.fsm' --seed 3 --steps 4 --size 512x512 -o '" +
                                            out.string() + "'",
                                        limit_);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("'" + out.string() + "'"), std::string::npos) << "names the picture: " << r.output;
  EXPECT_NE(r.output.find(reason_), std::string::npos) << r.output;
  EXPECT_EQ(fileText(out), "the user's picture");
  EXPECT_EQ(fileText(dir_ / "x.png.json"), "its sidecar");
  EXPECT_EQ(namesIn(dir_), (std::vector<std::string>{"x.png", "x.png.json"})) << "no temporary left";
}

TEST_F(FullDisk, AnMp4ExportFailsAndKeepsThePreviousClip) {
  const fs::path out = dir_ / "clip.mp4";
  const std::string previous(40000, 'c');  // the user's clip fills most of the 64 KiB disk
  std::ofstream(out) << previous;
  const ProcessResult r = runFieldscope("sample --model '" FIELDSCOPE_SOURCE_DIR
                                        "/assets/models/clips-video.fsm' --steps 2 --size 256x256 --seconds 1 -o '" +
                                            out.string() + "'",
                                        limit_);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("'" + out.string() + "'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(reason_), std::string::npos) << r.output;
  EXPECT_EQ(fileText(out), previous);
  EXPECT_EQ(namesIn(dir_), (std::vector<std::string>{"clip.mp4"})) << "no temporary left";
}

TEST_F(FullDisk, EmojiDataSetFailsAndLeavesThePreviousSet) {
  const fs::path set = dir_ / "emoji";
  fs::create_directories(set);
  std::ofstream(set / "g00001.png") << "an image of the earlier set";
  const ProcessResult r = runFieldscope("data emoji --size 64 -o '" + set.string() + "'", limit_);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(r.output.find("wrote "), std::string::npos) << "no success reported: " << r.output;
  EXPECT_NE(r.output.find(set.string()), std::string::npos) << "names the file: " << r.output;
  EXPECT_NE(r.output.find(reason_), std::string::npos) << r.output;
  EXPECT_EQ(namesIn(set), (std::vector<std::string>{"g00001.png"})) << "the earlier set as it was, no partial folder";
  EXPECT_EQ(fileText(set / "g00001.png"), "an image of the earlier set");
}

// Not a full disk: a folder that holds something else is refused without --force (item 8).
TEST(EmojiData, ANonEmptyForeignFolderIsRefusedWithoutForce) {
  const fs::path dir = fs::temp_directory_path() / ("fieldscope-foreign-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "the user's notes";
  const ProcessResult r = runFieldscope("data emoji --size 8 -o '" + dir.string() + "'");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("is not empty"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--force"), std::string::npos) << r.output;
  EXPECT_EQ(namesIn(dir), (std::vector<std::string>{"notes.txt"}));
  // (--force writing the set beside other files is not run here: rendering every glyph of the
  // font takes 10-18 s of the test budget; `data emoji` into a fresh folder is run by the training
  // tests.)
  fs::remove_all(dir);
}

}  // namespace
