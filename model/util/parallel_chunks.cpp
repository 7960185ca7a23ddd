#include "model/util/parallel_chunks.h"

#ifndef _OPENMP
#error "parallel_chunks.cpp must be compiled with -fopenmp (see its header)"
#endif

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cerrno>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace fieldscope {

namespace {
thread_local int tChunkThreads = 0;  // 0: torch's count

// Shrinks this thread's OpenMP team (torch's ops' threads) to one; returns the size to give back
// with omp_set_num_threads. Torch reads the team size lazily, so its own initialisation runs first.
int shrinkTeamToOne() {
  (void)at::get_num_threads();
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  return before;
}

// This thread's torch ops on one thread while it lives (OpenMP's team size is per thread).
struct SingleTeam {
  int before = shrinkTeamToOne();
  ~SingleTeam() { omp_set_num_threads(before); }
};

// This thread's nice value (Linux keeps one per thread).
int threadNice() {
  errno = 0;
  const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  return errno == 0 ? nice : 0;
}

// Helper threads kept for the process (a new thread per call cost ~15 ms a call here: its first
// torch op initialises torch's thread state and a malloc arena). They sleep on a condition
// variable between calls. One call uses them at a time; a concurrent caller runs its chunks alone.
// One set per nice value of the callers: a helper is made by its caller's thread and inherits that
// thread's nice value, so the viewer's worker (nice 10) gets helpers at 10 and an export thread at
// 0 gets its own at 0 (an unprivileged thread cannot lower its nice value again, so one shared set
// would keep whichever value it was made with).
class Helpers {
 public:
  static Helpers& forThisThread() {
    static std::mutex setsMutex;
    static auto* sets = new std::map<int, Helpers*>;  // never destroyed: threads may outlive static destructors
    std::lock_guard<std::mutex> lock(setsMutex);
    Helpers*& h = (*sets)[threadNice()];
    if (!h) h = new Helpers;
    return *h;
  }
  std::mutex busy;  // held by the call using the helpers

  // Starts task(1..count) on `count` helpers (the caller holds `busy`); wait() returns once all ended.
  void start(int count, const std::function<void(int64_t)>& task) {
    std::lock_guard<std::mutex> lock(mutex_);
    while (int(threads_.size()) < count) {
      const int index = int(threads_.size()) + 1;
      threads_.emplace_back([this, index] { loop(index); });
      threads_.back().detach();
    }
    task_ = &task;
    active_ = count;
    pending_ = count;
    ++generation_;
    wake_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    task_ = nullptr;
  }

 private:
  void loop(int index) {
    SingleTeam team;
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      if (index > active_) continue;
      const std::function<void(int64_t)>* task = task_;
      lock.unlock();
      (*task)(index);
      lock.lock();
      if (--pending_ == 0) done_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> threads_;
  const std::function<void(int64_t)>* task_ = nullptr;
  int active_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
};
}  // namespace

int chunkThreads() { return tChunkThreads > 0 ? tChunkThreads : at::get_num_threads(); }

ScopedSerialTorchOps::ScopedSerialTorchOps() : previousChunkThreads_(tChunkThreads) {
  tChunkThreads = chunkThreads();  // before the team shrinks: parallelChunks keeps its threads
  previousTeam_ = shrinkTeamToOne();
}
ScopedSerialTorchOps::~ScopedSerialTorchOps() {
  omp_set_num_threads(previousTeam_);
  tChunkThreads = previousChunkThreads_;
}

ScopedChunkThreads::ScopedChunkThreads(int threads) : previous_(tChunkThreads) { tChunkThreads = std::max(1, threads); }
ScopedChunkThreads::~ScopedChunkThreads() { tChunkThreads = previous_; }

void parallelChunks(int64_t n, const std::function<void(int64_t, int64_t)>& f) {
  if (n <= 0) return;
  const int64_t threads = std::min<int64_t>(n, chunkThreads());
  Helpers& helpers = Helpers::forThisThread();
  std::unique_lock<std::mutex> busy(helpers.busy, std::try_to_lock);
  if (threads <= 1 || !busy.owns_lock()) {
    f(0, n);
    return;
  }
  const int64_t per = (n + threads - 1) / threads;
  const bool inference = c10::InferenceMode::is_enabled();
  std::mutex mutex;
  std::exception_ptr error;
  const std::function<void(int64_t)> range = [&](int64_t t) {
    try {
      c10::InferenceMode guard(inference);
      const int64_t begin = t * per, end = std::min(n, begin + per);
      if (begin < end) f(begin, end);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!error) error = std::current_exception();
    }
  };
  helpers.start(int(threads - 1), range);
  {
    SingleTeam team;  // the caller's own share, on one thread too
    range(0);
  }
  helpers.wait();
  if (error) std::rethrow_exception(error);
}

}  // namespace fieldscope
