#include "model/util/parallel_chunks.h"

#ifndef _OPENMP
#error "parallel_chunks.cpp must be compiled with -fopenmp (see its header)"
#endif

#include <ATen/Parallel.h>

namespace fieldscope {

void parallelChunks(int64_t n, const std::function<void(int64_t, int64_t)>& f) {
  if (n <= 0) return;
  at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) { f(begin, end); });
}

}  // namespace fieldscope
