#pragma once
// Runs f(begin, end) over [0, n), split into contiguous ranges among the calling thread's torch
// intra-op threads (torch::set_num_threads), each range on its own thread with torch's nested
// parallelism off (ops inside run on that thread alone). One thread: f(0, n) here.
//
// Why a function of its own: ATen's at::parallel_for is a header template whose OpenMP region is
// compiled into the caller; without -fopenmp it runs everything on one thread, silently. This
// file alone is compiled with -fopenmp (model/CMakeLists.txt), so the rest of the project keeps
// its precompiled torch header and unity batches (docs/architecture.md "Performance facts").
#include <cstdint>
#include <functional>

namespace fieldscope {

void parallelChunks(int64_t n, const std::function<void(int64_t begin, int64_t end)>& f);

}  // namespace fieldscope
