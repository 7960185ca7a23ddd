#pragma once
// The scratch folder of one test process: temp_directory_path()/<prefix>-<pid>, made on first use
// and removed with everything in it when the process exits normally (a failed test included), so
// runs of the suite leave nothing in /tmp. FIELDSCOPE_KEEP_TEST_FILES=1 keeps it for a look after a
// failure. Tests take their own sub-folders of it.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <system_error>

namespace fieldscope::test {

inline std::filesystem::path processTempRoot(const std::string& prefix) {
  struct Roots {
    std::mutex lock;
    std::map<std::string, std::filesystem::path> paths;
    ~Roots() {
      const char* keep = std::getenv("FIELDSCOPE_KEEP_TEST_FILES");
      if (keep && std::string(keep) == "1") return;
      std::error_code ec;
      for (const auto& [prefix, path] : paths) std::filesystem::remove_all(path, ec);
    }
  };
  static Roots roots;  // destroyed at exit, after every test of the process
  std::lock_guard<std::mutex> g(roots.lock);
  auto& path = roots.paths[prefix];
  if (path.empty()) path = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(path);
  return path;
}

// An empty folder `name` in that scratch folder (emptied first, should an earlier test have left it).
inline std::filesystem::path freshTempSubdir(const std::string& prefix, const std::string& name) {
  const std::filesystem::path d = processTempRoot(prefix) / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace fieldscope::test
