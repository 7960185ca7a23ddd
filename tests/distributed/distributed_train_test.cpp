// Data-parallel training (docs/training.md) as a user runs it: `fieldscope train image-ldm ...
// --nproc 2` with Gloo over the loopback. Two processes of batch B give the weights one process
// of batch 2B gives; a killed or a hung worker ends the job, naming the rank, within the
// timeout, with the last checkpoint intact; --resume continues from it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <torch/torch.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "model/checkpoint/checkpoint.h"
#include "tests/model/test_support.h"

namespace fieldscope {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `fieldscope ARGS` started in the background, its output into `log`.
pid_t start(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv{const_cast<char*>(FIELDSCOPE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(FIELDSCOPE_BINARY, argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits up to `limit` for `pid`; its exit status, or -1 (and the process killed) when it ran over.
int waitFor(pid_t pid, std::chrono::seconds limit) {
  const auto end = Clock::now() + limit;
  int status = 0;
  while (Clock::now() < end) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

// `fieldscope ARGS` to the end; exit status and output.
std::pair<int, std::string> run(const std::vector<std::string>& args, const fs::path& log) {
  const int status = waitFor(start(args, log), std::chrono::seconds(240));
  return {status, readText(log)};
}

// The worker of `launcher` that runs rank `rank` (its RANK in /proc/PID/environ), or 0.
pid_t workerOfRank(pid_t launcher, int rank) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = readText(e.path() / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != launcher) continue;
    std::string env = readText(e.path() / "environ");
    for (auto& c : env) if (c == '\0') c = '\n';
    if (("\n" + env).find("\nRANK=" + std::to_string(rank) + "\n") != std::string::npos) return std::stoi(name);
  }
  return 0;
}

// Whether process `pid` is gone (waits up to 2 s for its new parent to reap it).
bool gone(pid_t pid) {
  for (int i = 0; i < 40; ++i) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int64_t savedStep(const fs::path& state) { return loadCheckpoint(state).config.at("step").get<int64_t>(); }

class DataParallel : public ::testing::Test {
 protected:
  void SetUp() override {
    test::writeImages(dir.path / "data", test::syntheticFaces(24, 16));
    auto [status, out] = run({"train", "image-vae", "--data", data(), "--preset", "tiny", "-o", vae(), "--steps", "2",
                              "--batch", "2", "--threads", "1"},
                             dir.path / "vae.log");
    ASSERT_EQ(status, 0) << out;
  }
  std::string data() const { return (dir.path / "data").string(); }
  std::string vae() const { return (dir.path / "vae.fsm").string(); }
  std::vector<std::string> ldm(const std::string& out, int batch, int steps) const {
    return {"train", "image-ldm", "--vae", vae(), "--data", data(), "--preset", "tiny", "-o", out, "--steps",
            std::to_string(steps), "--batch", std::to_string(batch), "--seed", "5", "--threads", "1"};
  }
  static std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }

  test::TempDir dir{"data-parallel"};
};

// The largest difference between the UNet weights (live and EMA) of two training states.
double weightDifference(const fs::path& a, const fs::path& b) {
  const Checkpoint ca = loadCheckpoint(a), cb = loadCheckpoint(b);
  double most = 0;
  int compared = 0;
  for (const auto& [name, t] : ca.tensors) {
    if (name.rfind("unet.", 0) != 0 && name.rfind("ema.", 0) != 0) continue;
    most = std::max(most, (t - cb.at(name)).abs().max().item<double>());
    ++compared;
  }
  EXPECT_GT(compared, 10);
  return most;
}

TEST_F(DataParallel, TwoProcessesTrainAsOneProcessWithTheDoubledBatch) {
  const fs::path one = dir.path / "one.fsm", two = dir.path / "two.fsm", half = dir.path / "half.fsm";
  auto [s1, o1] = run(ldm(one.string(), 8, 12), dir.path / "one.log");
  ASSERT_EQ(s1, 0) << o1;
  auto [s2, o2] = run(with(ldm(two.string(), 4, 12), {"--nproc", "2"}), dir.path / "two.log");
  ASSERT_EQ(s2, 0) << o2;
  EXPECT_NE(o2.find("rank 0 of a job of 2 processes"), std::string::npos) << o2;
  EXPECT_NE(o2.find("finished after 12 steps"), std::string::npos) << o2;
  EXPECT_EQ(o2.find("finished after 12 steps"), o2.rfind("finished after 12 steps")) << "rank 1 reported too:\n" << o2;
  // Tolerance: the two halves' gradients are summed in another order than one process sums
  // them (float32 rounding; measured 1.5e-8 here), while 12 Adam steps move weights by ~1e-4.
  const double same = weightDifference(one.string() + ".train", two.string() + ".train");
  EXPECT_LT(same, 1e-6) << "2 x batch 4 differs from 1 x batch 8";
  // The check can fail: one process with batch 4 (half the data) ends elsewhere.
  auto [s3, o3] = run(ldm(half.string(), 4, 12), dir.path / "half.log");
  ASSERT_EQ(s3, 0) << o3;
  const double other = weightDifference(one.string() + ".train", half.string() + ".train");
  EXPECT_GT(other, 100 * same + 1e-5) << "batch 4 alone: " << other << ", 2 x 4: " << same;
  std::printf("[ data-parallel ] max |w(2 x 4) - w(1 x 8)| = %.3g; batch 4 alone differs by %.3g\n", same, other);
}

TEST_F(DataParallel, AKilledWorkerEndsTheJobNamingItAndResumeContinuesFromTheLastCheckpoint) {
  const fs::path out = dir.path / "job.fsm", state = dir.path / "job.fsm.train", log = dir.path / "job.log";
  const pid_t launcher = start(with(ldm(out.string(), 4, 100000), {"--nproc", "2", "--checkpoint-every", "5",
                                                                    "--dist-timeout", "20"}),
                               log);
  // Wait for a checkpoint, then kill rank 1.
  const auto until = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < until && !fs::exists(state)) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(fs::exists(state)) << readText(log);
  const pid_t rank1 = workerOfRank(launcher, 1);
  ASSERT_GT(rank1, 0) << "no worker with RANK=1 under the launcher";
  const pid_t rank0 = workerOfRank(launcher, 0);
  ASSERT_GT(rank0, 0);
  const auto killedAt = Clock::now();
  ::kill(rank1, SIGKILL);
  const int status = waitFor(launcher, std::chrono::seconds(60));
  const double took = std::chrono::duration<double>(Clock::now() - killedAt).count();
  const std::string said = readText(log);
  EXPECT_EQ(status, 1) << said;
  EXPECT_LT(took, 20.0) << "the job ended " << took << " s after the kill";
  EXPECT_NE(said.find("rank 1 (pid " + std::to_string(rank1) + ") was killed by signal 9"), std::string::npos) << said;
  EXPECT_NE(said.find("the training job failed"), std::string::npos) << said;
  EXPECT_TRUE(gone(rank0)) << "rank 0 outlived the job";
  // The last checkpoint is intact and resuming the whole job continues from it.
  const int64_t at = savedStep(state);
  EXPECT_GE(at, 5);
  EXPECT_EQ(at % 5, 0);
  auto [s, resumed] = run(with(ldm(out.string(), 4, int(at) + 5), {"--nproc", "2", "--resume"}), dir.path / "resume.log");
  ASSERT_EQ(s, 0) << resumed;
  EXPECT_NE(resumed.find("resuming from step " + std::to_string(at)), std::string::npos) << resumed;
  EXPECT_EQ(savedStep(state), at + 5);
}

// Ctrl-C (SIGINT) of the launcher reaches every worker once: the job stops together after a
// step, rank 0 saves, and the command ends normally, saying how to resume.
TEST_F(DataParallel, CtrlCOnTheLauncherStopsTheWholeJobWhichSavesAndResumes) {
  const fs::path out = dir.path / "stop.fsm", state = dir.path / "stop.fsm.train", log = dir.path / "stop.log";
  const pid_t launcher = start(with(ldm(out.string(), 4, 100000), {"--nproc", "2", "--checkpoint-every", "5"}), log);
  const auto until = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < until && !fs::exists(state)) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(fs::exists(state)) << readText(log);
  ::kill(launcher, SIGINT);
  const int status = waitFor(launcher, std::chrono::seconds(60));
  const std::string said = readText(log);
  EXPECT_EQ(status, 0) << said;
  EXPECT_NE(said.find("interrupted after "), std::string::npos) << said;
  EXPECT_NE(said.find("resume with the same command and --resume"), std::string::npos) << said;
  const int64_t at = savedStep(state);
  EXPECT_GT(at, 5) << "saved at the stop, not only at the last periodic checkpoint";
  auto [s, resumed] = run(with(ldm(out.string(), 4, int(at) + 3), {"--nproc", "2", "--resume"}), dir.path / "resume.log");
  ASSERT_EQ(s, 0) << resumed;
  EXPECT_EQ(savedStep(state), at + 3);
}

TEST_F(DataParallel, AHungWorkerEndsTheJobWithinTheTimeoutNamingIt) {
  const fs::path out = dir.path / "hang.fsm", state = dir.path / "hang.fsm.train", log = dir.path / "hang.log";
  const pid_t launcher = start(with(ldm(out.string(), 4, 100000), {"--nproc", "2", "--checkpoint-every", "5",
                                                                    "--dist-timeout", "4"}),
                               log);
  const auto until = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < until && !fs::exists(state)) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(fs::exists(state)) << readText(log);
  const pid_t rank1 = workerOfRank(launcher, 1);
  ASSERT_GT(rank1, 0);
  const auto stoppedAt = Clock::now();
  ::kill(rank1, SIGSTOP);  // hangs: alive, holding its sockets, answering nothing
  const int status = waitFor(launcher, std::chrono::seconds(60));
  const double took = std::chrono::duration<double>(Clock::now() - stoppedAt).count();
  const std::string said = readText(log);
  EXPECT_EQ(status, 1) << said;
  // the 4 s timeout, 2.5 s listening for the ranks' pulses, up to 5 s for the stopped worker to be killed
  EXPECT_LT(took, 4 + 2.5 + 5 + 5.0) << said;
  EXPECT_NE(said.find("rank 0 of 2: the "), std::string::npos) << said;  // the gradient or the step's all-reduce
  EXPECT_NE(said.find("all-reduce failed ("), std::string::npos) << said;
  EXPECT_NE(said.find("Timed out"), std::string::npos) << said;
  EXPECT_NE(said.find("rank 1 stopped answering"), std::string::npos) << said;
  EXPECT_NE(said.find("last heard: rank 0 is in the all-reduces of step"), std::string::npos) << said;
  EXPECT_NO_THROW(loadCheckpoint(state));
  EXPECT_TRUE(gone(rank1)) << "the hung worker outlived the job";
}

}  // namespace
}  // namespace fieldscope
