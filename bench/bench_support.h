#pragma once
// What the model benchmarks measure around their work: wall seconds of a call, the process's peak
// RSS and the machine's load average (lavapipe and torch share the same 2 cores with anything else).
#include <stdlib.h>
#include <sys/resource.h>

#include <chrono>
#include <functional>

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

inline double loadAverage() {
  double l[1] = {0};
  return getloadavg(l, 1) == 1 ? l[0] : -1;
}

}  // namespace fieldscope::bench
