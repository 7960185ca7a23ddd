// Linked into every test program that runs torch in its own process: OpenBLAS single-threaded
// under torch's threads, as the app sets it at start (model/util/blas_threads.h). Without it,
// each torch thread's BLAS starts more threads: two ctest jobs on 2 cores then oversubscribe the
// CPU, and the model tests ran ~1.7x slower (25.8 s instead of 15.0 s for NerfGenerative.* and
// ShapeVae.* alone). OPENBLAS_NUM_THREADS still wins when set.
#include "model/util/blas_threads.h"

namespace {
const bool kFieldscopeTestBlasSingleThreaded = fieldscope::keepBlasSingleThreaded();
}  // namespace
