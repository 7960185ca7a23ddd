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

// Starts `fieldscope ARGS` (a shell word list) in the background, its output discarded; the pid.
pid_t startFieldscope(const std::string& args) {
  const pid_t child = ::fork();
  if (child == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl("/bin/sh", "sh", "-c", ("exec '" FIELDSCOPE_BINARY "' " + args).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return child;
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
  const pid_t child = startFieldscope("sample --model '" + model + "' --seed 4 --size 2048x2048 -o '" + out.string() + "'");
  ASSERT_GT(child, 0);
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

// Training SIGKILLed while it saves its checkpoints (every step): what is on disk is always a
// model `info` reads, the run resumes, and after it no temporary of the killed saves is left.
TEST(Cli, TrainingKilledWhileSavingLeavesAUsableModelAndResumes) {
  const fs::path dir = fs::temp_directory_path() / ("fieldscope-killtrain-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const ProcessResult data = runFieldscope("data emoji --size 16 -o '" + (dir / "emoji").string() + "'");
  ASSERT_EQ(data.status, 0) << data.output;
  const fs::path model = dir / "m.fsm";
  const std::string train = "train image-vae --data '" + (dir / "emoji").string() +
                            "' --preset tiny --batch 4 --threads 1 --checkpoint-every 1 -o '" + model.string() + "'";
  const pid_t child = startFieldscope(train + " --steps 100000");
  ASSERT_GT(child, 0);
  bool saving = false;
  for (int i = 0; i < 120000 && !saving; ++i) {  // kill at the first sight of a save in progress
    saving = !temporariesOf(dir, "m.fsm").empty() || !temporariesOf(dir, "m.fsm.train").empty();
    if (!saving) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(saving) << "no checkpoint save was seen in 2 minutes";
  if (fs::exists(model)) {
    const ProcessResult info = runFieldscope("info '" + model.string() + "'");
    EXPECT_EQ(info.status, 0) << "the model on disk after the kill must load: " << info.output;
  }
  const bool resumable = fs::exists(dir / "m.fsm.train");
  const ProcessResult again = runFieldscope(train + (resumable ? " --resume --steps 100000 --stop-at 4" : " --steps 2"));
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_EQ(runFieldscope("info '" + model.string() + "'").status, 0);
  EXPECT_TRUE(temporariesOf(dir, "m.fsm").empty() && temporariesOf(dir, "m.fsm.train").empty())
      << "the next saves removed the killed run's temporaries";
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
  // The thread choice is said (issue 15, item 2): torch's threads and what BLAS was given.
  EXPECT_NE(r.output.find("threads: torch "), std::string::npos) << r.output;
  EXPECT_TRUE(r.output.find("OpenBLAS") != std::string::npos || r.output.find("BLAS is not OpenBLAS") != std::string::npos)
      << r.output;
  r = runFieldscope("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("--screenshot"), std::string::npos);
  EXPECT_NE(r.output.find("selftest"), std::string::npos);
  // Every environment variable the README documents is listed (issue 15, item 9).
  for (const char* env : {"XDG_CONFIG_HOME", "FIELDSCOPE_DATA_DIR", "FIELDSCOPE_THREADS", "FIELDSCOPE_VALIDATION",
                          "FIELDSCOPE_MEMORY_LIMIT", "OPENBLAS_NUM_THREADS", "--test-pattern", "steps:FILE.json"})
    EXPECT_NE(r.output.find(env), std::string::npos) << env << " missing from --help";
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
