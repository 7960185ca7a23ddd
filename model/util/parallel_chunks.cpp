#include "model/util/parallel_chunks.h"

#ifndef _OPENMP
#error "parallel_chunks.cpp must be compiled with -fopenmp (see its header)"
#endif

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <omp.h>

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fieldscope {

namespace {
thread_local int tChunkThreads = 0;  // 0: torch's count

// This thread's torch ops on one thread while it lives (OpenMP's team size is per thread; torch
// reads it lazily, so its own initialisation runs first).
struct SingleTeam {
  int before;
  SingleTeam() {
    (void)at::get_num_threads();
    before = omp_get_max_threads();
    omp_set_num_threads(1);
  }
  ~SingleTeam() { omp_set_num_threads(before); }
};
}  // namespace

int chunkThreads() { return tChunkThreads > 0 ? tChunkThreads : at::get_num_threads(); }

ScopedChunkThreads::ScopedChunkThreads(int threads) : previous_(tChunkThreads) { tChunkThreads = std::max(1, threads); }
ScopedChunkThreads::~ScopedChunkThreads() { tChunkThreads = previous_; }

void parallelChunks(int64_t n, const std::function<void(int64_t, int64_t)>& f) {
  if (n <= 0) return;
  const int64_t threads = std::min<int64_t>(n, chunkThreads());
  if (threads <= 1) {
    f(0, n);
    return;
  }
  const int64_t per = (n + threads - 1) / threads;
  const bool inference = c10::InferenceMode::is_enabled();
  std::mutex mutex;
  std::exception_ptr error;
  auto range = [&](int64_t t) {
    try {
      SingleTeam team;
      c10::InferenceMode guard(inference);
      const int64_t begin = t * per, end = std::min(n, begin + per);
      if (begin < end) f(begin, end);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(size_t(threads - 1));
  for (int64_t t = 1; t < threads; ++t) helpers.emplace_back(range, t);
  range(0);
  for (auto& h : helpers) h.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace fieldscope
