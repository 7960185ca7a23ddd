#include "model/util/memory_budget.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fieldscope {

uint64_t availableMemoryBytes() {
  uint64_t bytes = 0;
  std::ifstream info("/proc/meminfo");
  std::string line;
  while (std::getline(info, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream in(line.substr(13));
    uint64_t kb = 0;
    if (in >> kb) bytes = kb * 1024;
    break;
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
