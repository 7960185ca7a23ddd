#pragma once
// OpenBLAS keeps its own thread pool under every torch thread: on the 2-core machine torch's two
// intra-op threads each calling a BLAS that starts two more oversubscribe the CPU, and a third of
// the time goes to sched_yield/futex in the kernel. With OpenBLAS single-threaded, `train sr-ae`
// ran 2.7 instead of 1.8 steps/s and the viewer's whole-view readout 136 instead of 431 ms
// (docs/architecture.md "Performance facts"). Torch's own threads still use every core.
namespace fieldscope {
// Sets OpenBLAS to one thread when it is the BLAS in this process and OPENBLAS_NUM_THREADS is not
// set (the user's choice wins). Returns true when it changed something.
bool keepBlasSingleThreaded();
// What keepBlasSingleThreaded found and did, for --version and info: "OpenBLAS 1 thread (set by
// Fieldscope)", "OpenBLAS: OPENBLAS_NUM_THREADS=4 (yours)" or "BLAS is not OpenBLAS (left as it is)".
const char* blasThreadsText();
}  // namespace fieldscope
