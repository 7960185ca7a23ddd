#include "app/cli/worker_launcher.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

namespace fieldscope {

int freeLocalPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("cannot open a socket for the job's rendezvous: ") + std::strerror(errno));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("cannot find a free local port for the job's rendezvous: " + why);
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

namespace {

std::atomic<pid_t> workerGroup{0};
volatile sig_atomic_t forwarded = 0;

// The launcher's Ctrl-C / SIGTERM go to the workers' process group, once each.
void forward(int sig) {
  forwarded = sig;
  const pid_t g = workerGroup.load();
  if (g > 0) ::kill(-g, sig);
}

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return "was killed by signal " + std::to_string(sig) + " (" + (name ? name : "?") + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

bool failed(int status) { return !(WIFEXITED(status) && WEXITSTATUS(status) == 0); }

pid_t startWorker(const DistributedOptions& o, int localRank, const std::vector<std::string>& argv, pid_t group) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("cannot start a training worker: ") + std::strerror(errno));
  if (pid > 0) return pid;
  // The worker: its own process group (the terminal's Ctrl-C reaches it through the launcher
  // only), and it dies with the launcher.
  ::setpgid(0, group);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::setenv("RANK", std::to_string(o.rank + localRank).c_str(), 1);
  ::setenv("LOCAL_RANK", std::to_string(localRank).c_str(), 1);
  ::setenv("WORLD_SIZE", std::to_string(o.world).c_str(), 1);
  ::setenv("MASTER_ADDR", o.host.c_str(), 1);
  ::setenv("MASTER_PORT", std::to_string(o.port).c_str(), 1);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv("/proc/self/exe", args.data());
  std::fprintf(stderr, "fieldscope: cannot start a training worker: %s\n", std::strerror(errno));
  ::_exit(127);
}

}  // namespace

void launchTrainingWorkers(const DistributedOptions& o, const std::vector<std::string>& argv) {
  forwarded = 0;
  std::map<pid_t, int> ranks;  // running workers: pid -> rank
  pid_t group = 0;
  struct sigaction fwd {}, oldInt{}, oldTerm{};
  fwd.sa_handler = forward;
  ::sigemptyset(&fwd.sa_mask);
  ::sigaction(SIGINT, &fwd, &oldInt);
  ::sigaction(SIGTERM, &fwd, &oldTerm);
  auto restore = [&] {
    workerGroup = 0;
    ::sigaction(SIGINT, &oldInt, nullptr);
    ::sigaction(SIGTERM, &oldTerm, nullptr);
  };
  std::string failure;
  try {
    for (int i = 0; i < o.localProcesses; ++i) {
      const pid_t pid = startWorker(o, i, argv, group);
      if (group == 0) group = pid;
      ::setpgid(pid, group);  // also here: whichever of parent and child runs first
      ranks[pid] = o.rank + i;
    }
  } catch (const std::exception& e) {
    failure = e.what();
  }
  workerGroup = group;
  std::fprintf(stderr, "fieldscope: started ranks %d-%d of a job of %d (rendezvous %s:%d)\n", o.rank,
               o.rank + o.localProcesses - 1, o.world, o.host.c_str(), o.port);
  using Clock = std::chrono::steady_clock;
  Clock::time_point killAt{};
  bool stopping = !failure.empty(), killed = false;
  if (stopping) {
    ::kill(-group, SIGTERM);
    killAt = Clock::now() + std::chrono::seconds(5);
  }
  while (!ranks.empty()) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, stopping ? WNOHANG : 0);
    if (pid < 0 && errno == EINTR) continue;
    if (pid < 0) break;  // no children left
    if (pid == 0) {      // stopping: the others have not ended yet
      if (!killed && Clock::now() >= killAt) {
        ::kill(-group, SIGKILL);  // a worker stuck in a collective or stopped does not take SIGTERM
        killed = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    const auto it = ranks.find(pid);
    if (it == ranks.end()) continue;
    const int rank = it->second;
    ranks.erase(it);
    if (failed(status) && failure.empty()) {
      failure = "rank " + std::to_string(rank) + " (pid " + std::to_string(pid) + ") " + describe(status);
      if (!ranks.empty()) {
        std::fprintf(stderr, "fieldscope: %s; stopping the other %zu worker%s\n", failure.c_str(), ranks.size(),
                     ranks.size() == 1 ? "" : "s");
        ::kill(-group, SIGTERM);
        stopping = true;
        killAt = Clock::now() + std::chrono::seconds(5);
      }
    }
  }
  restore();
  if (!failure.empty())
    throw std::runtime_error(std::string(forwarded ? "the training job was stopped by a signal before it could save: "
                                                   : "the training job failed: ") +
                             failure);
}

}  // namespace fieldscope
