#include "model/io/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

namespace fieldscope {
namespace fs = std::filesystem;

namespace {
const std::string kTmpInfix = ".tmp-";

fs::path withFolder(const fs::path& path) { return path.parent_path().empty() ? fs::path(".") / path : path; }

// fsync of a file or a folder; false with errno set on failure.
bool syncPath(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

bool processRunning(long pid) {
  if (pid <= 0) return false;
  return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;  // EPERM: running, someone else's
}
}  // namespace

int removeStaleTemporaries(const fs::path& path) {
  const fs::path full = withFolder(path);
  const std::string prefix = "." + full.filename().string() + kTmpInfix;
  std::error_code ec;
  int removed = 0;
  for (fs::directory_iterator it(full.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    // PID-N: digits, a dash, digits.
    const std::string rest = name.substr(prefix.size());
    const size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || rest.find_first_not_of("0123456789-") != std::string::npos) continue;
    const long pid = std::strtol(rest.substr(0, dash).c_str(), nullptr, 10);
    if (pid == long(::getpid()) || processRunning(pid)) continue;
    std::error_code rm;
    if (fs::remove(it->path(), rm)) ++removed;
  }
  return removed;
}

fs::path atomicTemporaryFor(const fs::path& path) {
  const fs::path full = withFolder(path);
  removeStaleTemporaries(full);
  std::random_device rd;
  return full.parent_path() /
         ("." + full.filename().string() + kTmpInfix + std::to_string(::getpid()) + "-" + std::to_string(rd()));
}

void commitAtomicTemporary(const fs::path& tmp, const fs::path& path) {
  std::error_code ec;
  if (!syncPath(tmp, false)) {
    const std::string why = std::strerror(errno);
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path.string() + "': flushing to disk failed: " + why);
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path.string() + "': rename failed: " + why);
  }
  syncPath(withFolder(path).parent_path(), true);  // the rename itself; best effort (some file systems refuse)
}

void writeFileAtomically(const fs::path& path, const std::function<void(const fs::path&)>& write) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("cannot write '" + path.string() + "': folder '" + dir.string() + "' does not exist");
  if (fs::is_directory(path, ec))
    throw std::runtime_error("cannot write '" + path.string() + "': it is a folder");
  const fs::path tmp = atomicTemporaryFor(path);
  try {
    write(tmp);
  } catch (const std::exception& e) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path.string() + "': " + e.what());
  }
  commitAtomicTemporary(tmp, path);
}

void writeBytesAtomically(const fs::path& path, const std::string& bytes) {
  writeFileAtomically(path, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw std::runtime_error(std::string("cannot create file: ") + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw std::runtime_error(std::string("write failed: ") + std::strerror(errno));
  });
}

}  // namespace fieldscope
