#include "model/util/blas_threads.h"

#include <dlfcn.h>

#include <cstdlib>

namespace fieldscope {

bool keepBlasSingleThreaded() {
  if (std::getenv("OPENBLAS_NUM_THREADS")) return false;
  // Looked up, not linked: the BLAS behind libblas.so.3 may be another one (no such symbol then).
  using SetThreads = void (*)(int);
  auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (!set) return false;
  set(1);
  return true;
}

}  // namespace fieldscope
