#include "model/util/blas_threads.h"

#include <dlfcn.h>

#include <cstdlib>
#include <string>

namespace fieldscope {

namespace {
std::string& choice() {
  static std::string text = "BLAS threads left as they are (keepBlasSingleThreaded not called)";
  return text;
}
}  // namespace

const char* blasThreadsText() { return choice().c_str(); }

bool keepBlasSingleThreaded() {
  if (const char* user = std::getenv("OPENBLAS_NUM_THREADS")) {
    choice() = std::string("OpenBLAS: OPENBLAS_NUM_THREADS=") + user + " (your setting)";
    return false;
  }
  // Looked up, not linked: the BLAS behind libblas.so.3 may be another one (no such symbol then).
  using SetThreads = void (*)(int);
  auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (!set) {
    choice() = "BLAS is not OpenBLAS (its threads left as they are)";
    return false;
  }
  set(1);
  choice() = "OpenBLAS 1 thread under torch's threads (set by Fieldscope; OPENBLAS_NUM_THREADS overrides)";
  return true;
}

}  // namespace fieldscope
