// model/util/parallel_chunks.h: every range runs, and the helper threads run at their caller's
// nice value, whichever caller made helpers first (the viewer's worker runs at nice 10; an export
// thread at the user's own priority must not be served by nice-10 helpers, nor the worker by
// helpers at 0).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <ATen/Parallel.h>

#include "model/util/parallel_chunks.h"

namespace fieldscope {
namespace parallel_chunks_test {

int niceOfThisThread() { return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())); }

// The nice values of the threads that ran the ranges of one call with two threads (range 0 on
// the caller, range 1 on a helper), and the threads themselves.
struct Ran {
  std::set<int> nices;
  std::set<std::thread::id> threads;
  int64_t covered = 0;
};

Ran runTwoRanges() {
  ScopedChunkThreads two(2);
  Ran ran;
  std::mutex m;
  parallelChunks(64, [&](int64_t begin, int64_t end) {
    std::lock_guard<std::mutex> lock(m);
    ran.nices.insert(niceOfThisThread());
    ran.threads.insert(std::this_thread::get_id());
    ran.covered += end - begin;
  });
  return ran;
}

TEST(ParallelChunks, HelpersRunAtTheirCallersNiceValue) {
  const int base = niceOfThisThread();
  if (base > 19 - 5) GTEST_SKIP() << "this test runs at nice " << base << ": no room to raise a thread's nice value";
  Ran niced;
  bool reniced = false;
  std::thread worker([&] {  // a thread made nicer first, as the viewer's worker is
    reniced = ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), base + 5) == 0;
    if (reniced) niced = runTwoRanges();
  });
  worker.join();
  if (!reniced) GTEST_SKIP() << "setpriority refused to raise a thread's nice value here (a sandbox?)";
  const Ran plain = runTwoRanges();
  EXPECT_EQ(niced.covered, 64);
  EXPECT_EQ(plain.covered, 64);
  EXPECT_EQ(niced.threads.size(), 2u);
  EXPECT_EQ(plain.threads.size(), 2u);
  EXPECT_EQ(niced.nices, std::set<int>{base + 5});
  EXPECT_EQ(plain.nices, std::set<int>{base});
}

// A render's set-up runs its torch ops on one thread (no OpenMP region whose idle thread would
// spin on the helper's core), while its chunks still get every thread it had.
TEST(ParallelChunks, SerialTorchOpsKeepTheChunkThreads) {
  at::set_num_threads(2);
  ASSERT_EQ(at::get_num_threads(), 2);
  const int before = chunkThreads();
  {
    ScopedSerialTorchOps serial;
    EXPECT_EQ(at::get_num_threads(), 1);
    EXPECT_EQ(chunkThreads(), before);
    std::mutex m;
    std::set<std::thread::id> threads;
    parallelChunks(64, [&](int64_t, int64_t) {
      std::lock_guard<std::mutex> lock(m);
      threads.insert(std::this_thread::get_id());
    });
    EXPECT_EQ(int(threads.size()), before);
    EXPECT_EQ(at::get_num_threads(), 1);  // parallelChunks gave this thread's team back as it found it
  }
  EXPECT_EQ(at::get_num_threads(), 2);
  EXPECT_EQ(chunkThreads(), before);
}

}  // namespace parallel_chunks_test
}  // namespace fieldscope
