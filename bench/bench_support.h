#pragma once
// What the benchmarks measure around their work: wall seconds of a call, the process's peak
// RSS, the machine's load average (lavapipe and torch share the same 2 cores with anything else)
// and the commit measured (bench/README.md).
#include <stdlib.h>
#include <sys/resource.h>

#include <chrono>
#include <functional>
#include <thread>

namespace fieldscope::bench {

inline double seconds(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

inline double peakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// The commit measured: scripts/bench.sh exports FIELDSCOPE_COMMIT (with "-dirty" for local changes).
inline const char* commit() {
  const char* c = getenv("FIELDSCOPE_COMMIT");
  return c && *c ? c : "unknown (not run by scripts/bench.sh)";
}

// The machine's hardware threads (every online CPU; a container's quota may allow fewer).
inline unsigned hardwareThreads() { return std::thread::hardware_concurrency(); }

// The 1-minute load average (-1 when unknown). Every bench JSON records it as
// "machine_load_average_1min", read when the bench starts (bench/README.md).
inline double loadAverage() {
  double l[1] = {0};
  return getloadavg(l, 1) == 1 ? l[0] : -1;
}

}  // namespace fieldscope::bench
