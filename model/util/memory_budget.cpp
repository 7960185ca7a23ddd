#include "model/util/memory_budget.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fieldscope {

namespace {
// The number after `key` in a "key: N kB" file (/proc/meminfo, /proc/self/status), in bytes; 0 if absent.
uint64_t kilobytesField(const char* file, const std::string& key) {
  std::ifstream info(file);
  for (std::string line; std::getline(info, line);) {
    if (line.rfind(key, 0) != 0) continue;
    std::istringstream in(line.substr(key.size()));
    uint64_t kb = 0;
    return in >> kb ? kb * 1024 : 0;
  }
  return 0;
}

// A single number in a file (cgroup v2 memory.max / memory.current); 0 when absent or "max".
uint64_t numberIn(const char* file) {
  std::ifstream in(file);
  uint64_t v = 0;
  return in >> v ? v : 0;
}

// The smaller of `bytes` and `limit` (0: unknown, ignored).
uint64_t lower(uint64_t bytes, uint64_t limit) { return limit == 0 ? bytes : bytes == 0 ? limit : std::min(bytes, limit); }
}  // namespace

uint64_t availableMemoryBytes() {
  uint64_t bytes = kilobytesField("/proc/meminfo", "MemAvailable:");
  // A container's limit (cgroup v2): what it still allows.
  if (const uint64_t max = numberIn("/sys/fs/cgroup/memory.max"); max > 0) {
    const uint64_t used = numberIn("/sys/fs/cgroup/memory.current");
    bytes = lower(bytes, max > used ? max - used : 1);
  }
  // An address-space limit (ulimit -v, prlimit --as): what is left of it for this process.
  rlimit as{};
  if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    const uint64_t used = kilobytesField("/proc/self/status", "VmSize:");
    bytes = lower(bytes, uint64_t(as.rlim_cur) > used ? uint64_t(as.rlim_cur) - used : 1);
  }
  if (const char* limit = std::getenv("FIELDSCOPE_MEMORY_LIMIT")) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(limit, &end, 10);
    if (end != limit && *end == '\0' && v > 0 && (bytes == 0 || v < bytes)) bytes = v;
  }
  return bytes;
}

std::string formatBytes(uint64_t bytes) {
  char text[32];
  if (bytes >= (1ull << 30)) std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(1ull << 30));
  else std::snprintf(text, sizeof text, "%.0f MiB", double(bytes) / double(1ull << 20));
  return text;
}

void refuseBeyondMemory(uint64_t needed, const std::string& what) {
  const uint64_t available = availableMemoryBytes();
  if (available == 0 || needed <= available / 5 * 4) return;
  throw std::runtime_error(what + " needs about " + formatBytes(needed) + ", but only " + formatBytes(available) +
                           " of memory is available");
}

}  // namespace fieldscope
