#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../geometry/test_files.h"
#include "model/io/atomic_file.h"
#include "model/io/png_file.h"
#include "../temp_root.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;

fs::path tempDir() {
  return test::processTempRoot("fieldscope-test");
}

TEST(AtomicFile, FailedWriteKeepsTheOldFileAndLeavesNoTemporary) {
  const fs::path dir = tempDir() / "keep";
  fs::create_directories(dir);
  const fs::path target = dir / "out.png";
  writeBytesAtomically(target, "old contents");
  EXPECT_THROW(writeFileAtomically(target, [](const fs::path& tmp) {
                 std::ofstream(tmp) << "half";
                 throw std::runtime_error("cancelled");
               }),
               std::runtime_error);
  std::ifstream in(target);
  std::string s((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(s, "old contents");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1) << "no temporary file left";
}

std::string readText(const fs::path& p) { return test::readAll(p); }
std::vector<std::string> namesIn(const fs::path& dir) { return test::sortedNamesIn(dir); }

// A writer killed (SIGKILL) in the middle of its write: the user's old file is intact, the dead
// writer's temporary is the only trace, and the next write of that file removes it.
TEST(AtomicFile, AKilledWriterLeavesTheOldFileAndTheNextWriteClearsItsTemporary) {
  const fs::path dir = tempDir() / "killed";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path target = dir / "model.fsm", ready = dir.parent_path() / "killed-ready";
  fs::remove(ready);
  writeBytesAtomically(target, "the user's trained model");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      writeFileAtomically(target, [&](const fs::path& tmp) {
        std::ofstream(tmp, std::ios::binary) << std::string(1 << 20, 'x');
        std::ofstream(ready) << "writing";
        std::this_thread::sleep_for(std::chrono::seconds(60));
      });
    } catch (...) {
    }
    ::_exit(0);
  }
  for (int i = 0; i < 1000 && !fs::exists(ready); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(fs::exists(ready)) << "the writer never started";
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(readText(target), "the user's trained model");
  const std::vector<std::string> left = namesIn(dir);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0], ".model.fsm.tmp-" + std::to_string(child) + left[0].substr(left[0].rfind('-')));
  // A temporary of a process that still runs (this one, and pid 1) is someone's write in progress.
  std::ofstream(dir / (".model.fsm.tmp-" + std::to_string(::getpid()) + "-7")) << "mine";
  std::ofstream(dir / ".model.fsm.tmp-1-7") << "init's";
  writeBytesAtomically(target, "saved again");
  EXPECT_EQ(readText(target), "saved again");
  EXPECT_EQ(namesIn(dir), (std::vector<std::string>{".model.fsm.tmp-1-7", ".model.fsm.tmp-" + std::to_string(::getpid()) + "-7",
                                                    "model.fsm"}));
  EXPECT_EQ(removeStaleTemporaries(target), 0);
}

TEST(AtomicFile, UnwritablePathGivesAMessageNamingTheFile) {
  try {
    writeBytesAtomically("/nonexistent-dir/x.png", "x");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/x.png"), std::string::npos) << e.what();
  }
  if (::geteuid() != 0) {  // root ignores permissions
    const fs::path ro = tempDir() / "ro";
    fs::create_directories(ro);
    ::chmod(ro.c_str(), 0500);
    EXPECT_THROW(writeBytesAtomically(ro / "x.png", "x"), std::runtime_error);
    EXPECT_FALSE(fs::exists(ro / "x.png"));
    ::chmod(ro.c_str(), 0700);
  }
}

// A write that runs out of room says so ("/dev/full" fails every write with ENOSPC).
TEST(AtomicFile, AFullDiskIsAnErrorThatSaysSo) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this machine";
  try {
    writeWholeFile("/dev/full", std::string(1 << 16, 'x'));
    FAIL() << "writing to /dev/full succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the disk is full"), std::string::npos) << e.what();
  }
}

// A picture and its sidecar go together: when either cannot be written (here a file-size limit in
// a child process fails the write), both keep their previous contents and no temporary is left.
TEST(AtomicFile, APictureAndItsSidecarAreWrittenTogetherOrNotAtAll) {
  const fs::path dir = tempDir() / "pair";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path png = dir / "e.png", side = dir / "e.png.json";
  // Each case: the bytes of the picture and of the sidecar; the limit lets 4000 bytes through.
  const std::vector<std::pair<size_t, size_t>> cases = {{20000, 100}, {100, 20000}};
  for (const auto& [pictureBytes, sidecarBytes] : cases) {
    writeBytesAtomically(png, "old picture");
    writeBytesAtomically(side, "old sidecar");
    const pid_t child = ::fork();
    if (child == 0) {
      ::signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{4000, 4000};
      ::setrlimit(RLIMIT_FSIZE, &limit);
      try {
        writeFilesAtomically({{png, std::string(pictureBytes, 'p')}, {side, std::string(sidecarBytes, 's')}});
        ::_exit(2);  // it should have failed
      } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        const fs::path named = pictureBytes > 4000 ? png : side;
        ::_exit(what.find("'" + named.string() + "'") != std::string::npos ? 0 : 3);
      }
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status)) << "child died";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "2: the write succeeded; 3: the message does not name the failed file";
    EXPECT_EQ(readText(png), "old picture");
    EXPECT_EQ(readText(side), "old sidecar");
    EXPECT_EQ(namesIn(dir), (std::vector<std::string>{"e.png", "e.png.json"})) << "no temporary or backup left";
  }
  writeFilesAtomically({{png, "new picture"}, {side, "new sidecar"}});
  EXPECT_EQ(readText(png), "new picture");
  EXPECT_EQ(readText(side), "new sidecar");
  EXPECT_EQ(namesIn(dir), (std::vector<std::string>{"e.png", "e.png.json"}));
}

TEST(PngFile, RoundTripAndBrokenFiles) {
  Rgba8Image img{3, 2, {}};
  for (int i = 0; i < 6; ++i) img.pixels.insert(img.pixels.end(), {uint8_t(i * 40), uint8_t(255 - i), 7, 255});
  const fs::path p = tempDir() / "rt.png";
  writePng(p, img);
  const Rgba8Image back = readImageRgba8(p);
  EXPECT_EQ(back.width, 3);
  EXPECT_EQ(back.height, 2);
  EXPECT_EQ(back.pixels, img.pixels);

  const fs::path broken = tempDir() / "broken.png";
  std::ofstream(broken) << "\x89PNG\r\n\x1a\n garbage";
  try {
    readImageRgba8(broken);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.png"), std::string::npos);
  }
}

}  // namespace
}  // namespace fieldscope
