// Command-line behaviour without any display: bad flags, no display, no Vulkan device, an
// export killed mid-write.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "process.h"

namespace {
namespace fs = std::filesystem;

std::string fileText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The temporaries of writes to `name` in `dir` (".NAME.tmp-PID-N", model/io/atomic_file.h).
std::vector<fs::path> temporariesOf(const fs::path& dir, const std::string& name) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("." + name + ".tmp-", 0) == 0) found.push_back(e.path());
  return found;
}

// `fieldscope sample ... -o out.png` killed (SIGKILL) while it writes the PNG: the user's old
// out.png is intact; the next export of out.png writes it and leaves no temporary behind.
TEST(Cli, AnExportKilledMidWriteKeepsTheOldFileAndTheNextExportCleansUp) {
  const fs::path dir = fs::temp_directory_path() / ("fieldscope-kill-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path out = dir / "out.png";
  std::ofstream(out) << "the user's picture";
  const std::string model = FIELDSCOPE_SOURCE_DIR "/assets/models/emoji-image.fsm";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(FIELDSCOPE_BINARY, "fieldscope", "sample", "--model", model.c_str(), "--seed", "4", "--size", "2048x2048",
            "-o", out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool caught = false;
  int status = 0;
  for (int i = 0; i < 240000 && !caught; ++i) {  // up to 4 minutes of decoding, polled every millisecond
    if (!temporariesOf(dir, "out.png").empty()) {
      ::kill(child, SIGKILL);
      caught = true;
    } else if (::waitpid(child, &status, WNOHANG) == child) {
      break;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  if (caught) ::waitpid(child, &status, 0);
  ASSERT_TRUE(caught) << "the export ended before its PNG was being written (status " << status << ")";
  EXPECT_EQ(fileText(out), "the user's picture");
  EXPECT_EQ(temporariesOf(dir, "out.png").size(), 1u) << "the killed writer's temporary";
  const ProcessResult again =
      runFieldscope("sample --model '" + model + "' --seed 4 --size 64x64 -o '" + out.string() + "'");
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_EQ(fileText(out).substr(1, 3), "PNG");
  EXPECT_TRUE(temporariesOf(dir, "out.png").empty()) << "the next export removed the dead writer's temporary";
  fs::remove_all(dir);
}

// Under an address-space limit (ulimit -v / prlimit --as) a job that will not fit is refused
// with the numbers before it starts -- not killed, not a std::bad_alloc abort.
TEST(Cli, AMemoryLimitGivesARefusalWithTheNumbersNotACrash) {
  const fs::path dir = fs::temp_directory_path() / ("fieldscope-limit-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path out = dir / "view.png";
  const ProcessResult r = runFieldscope("sample --model '" FIELDSCOPE_SOURCE_DIR "/assets/models/shapes-occupancy.fsm' --grid 1024 -o '" +
                                            out.string() + "'",
                                        "prlimit --as=4000000000");
  EXPECT_EQ(r.status, 1) << r.output;  // an error exit, not a signal
  EXPECT_NE(r.output.find("1024^3 view grid needs about"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("of memory is available"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}

TEST(Cli, VersionAndHelp) {
  ProcessResult r = runFieldscope("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("fieldscope"), std::string::npos);
  EXPECT_NE(r.output.find("LibTorch"), std::string::npos);
  r = runFieldscope("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("--screenshot"), std::string::npos);
  EXPECT_NE(r.output.find("selftest"), std::string::npos);
}

TEST(Cli, UnknownFlagPrintsUsage) {
  const ProcessResult r = runFieldscope("--no-such-flag");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--no-such-flag"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--help"), std::string::npos) << r.output;
}

TEST(Cli, NoDisplayGivesAClearMessage) {
  const ProcessResult r = runFieldscope("", "env -u DISPLAY -u WAYLAND_DISPLAY");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("no display"), std::string::npos) << r.output;
}

TEST(Cli, HeadlessSelftestNeedsNoDisplay) {
  const ProcessResult r = runFieldscope("selftest", "env -u DISPLAY -u WAYLAND_DISPLAY FIELDSCOPE_VALIDATION=1");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("PASS"), std::string::npos) << r.output;
}

TEST(Cli, NoVulkanDeviceGivesAClearMessage) {
  const ProcessResult r = runFieldscope("selftest", "env VK_ICD_FILENAMES=/nonexistent/icd.json VK_DRIVER_FILES=/nonexistent/icd.json");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("no Vulkan"), std::string::npos) << r.output;
}

TEST(Cli, BadGpuIndexIsRejected) {
  const ProcessResult r = runFieldscope("selftest --gpu 99");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--gpu 99"), std::string::npos) << r.output;
}

}  // namespace
