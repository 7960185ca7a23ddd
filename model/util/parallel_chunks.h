#pragma once
// Runs f(begin, end) over [0, n), split into contiguous ranges, one per thread: the calling
// thread and chunkThreads() - 1 helper threads (kept for the process, asleep on a condition
// variable between calls: they never spin; one set per nice value, so helpers run at their
// caller's priority). It returns when every range has ended. Torch's own
// intra-op parallelism is off in every one of these threads while they run f (OpenMP teams of
// 1), so the threads are exactly chunkThreads(). One thread, or another call using the helpers
// at the same time: f(0, n) here. Exceptions: the first one is rethrown after every range ended.
//
// Why not at::parallel_for: it is a header template whose OpenMP region compiles into its caller
// (without -fopenmp it quietly runs on one thread), and libgomp's idle threads spin-wait after
// each region: two viewers, or a viewer beside a build, then starved each other (a window test
// pair took 74 s instead of 23 s). This file is compiled with OpenMP only to set that per-thread
// team size (model/CMakeLists.txt; docs/architecture.md "Performance facts").
#include <cstdint>
#include <functional>

namespace fieldscope {

// The threads parallelChunks uses on the calling thread: the innermost ScopedChunkThreads, else
// torch's intra-op thread count of this thread (at::get_num_threads()).
int chunkThreads();

// Sets chunkThreads() for this thread while it lives (the viewer's worker: every core for the
// exact view of a resting view, one for tiles).
class ScopedChunkThreads {
 public:
  explicit ScopedChunkThreads(int threads);
  ~ScopedChunkThreads();
  ScopedChunkThreads(const ScopedChunkThreads&) = delete;
  ScopedChunkThreads& operator=(const ScopedChunkThreads&) = delete;

 private:
  int previous_;
};

// This thread's torch ops on one thread while it lives (an OpenMP team of one), chunkThreads()
// unchanged. For the small torch ops around a parallelChunks call (a render's set-up): their
// two-thread OpenMP regions leave libgomp's idle thread spinning on the core that a chunk helper
// needs next (37 % of a 256x256 decode's samples in perf before; docs/architecture.md
// "Performance facts").
class ScopedSerialTorchOps {
 public:
  ScopedSerialTorchOps();
  ~ScopedSerialTorchOps();
  ScopedSerialTorchOps(const ScopedSerialTorchOps&) = delete;
  ScopedSerialTorchOps& operator=(const ScopedSerialTorchOps&) = delete;

 private:
  int previousChunkThreads_, previousTeam_;
};

void parallelChunks(int64_t n, const std::function<void(int64_t begin, int64_t end)>& f);

}  // namespace fieldscope
