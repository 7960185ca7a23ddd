#include "model/io/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

namespace {
// The target's folder exists and the target is not a folder (both writers check this first).
void checkTarget(const fs::path& path) {
  const fs::path dir = withFolder(path).parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("cannot write '" + path.string() + "': folder '" + dir.string() + "' does not exist");
  if (fs::is_directory(path, ec)) throw std::runtime_error("cannot write '" + path.string() + "': it is a folder");
}
}  // namespace

void writeFileAtomically(const fs::path& path, const std::function<void(const fs::path&)>& write) {
  checkTarget(path);
  std::error_code ec;
  const fs::path tmp = atomicTemporaryFor(path);
  try {
    write(tmp);
  } catch (const std::exception& e) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path.string() + "': " + e.what());
  }
  commitAtomicTemporary(tmp, path);
}

std::string whyNotWritable(const fs::path& path) {
  if (path.empty()) return "no file name given";
  const fs::path dir = withFolder(path).parent_path();
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "'" + path.string() + "' is a folder";
  if (!fs::exists(dir, ec)) return "folder '" + dir.string() + "' does not exist";
  if (!fs::is_directory(dir, ec)) return "'" + dir.string() + "' is not a folder";
  if (::access(dir.c_str(), W_OK) != 0)
    return errno == EROFS ? "folder '" + dir.string() + "' is on a read-only disk"
                          : "no permission to write in folder '" + dir.string() + "'";
  return "";
}

std::string writeErrorText(int errnoValue) {
  if (errnoValue == ENOSPC) return std::string("the disk is full (") + std::strerror(errnoValue) + ")";
  if (errnoValue == EDQUOT) return std::string("over the disk quota (") + std::strerror(errnoValue) + ")";
  if (errnoValue == EFBIG) return std::string("the file is larger than this process may write (") + std::strerror(errnoValue) + ")";
  return std::strerror(errnoValue);
}

void writeWholeFile(const fs::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw std::runtime_error("cannot create the file: " + writeErrorText(errno));
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;  // a write of 0 bytes: no room left
      ::close(fd);
      throw std::runtime_error("write failed: " + writeErrorText(error));
    }
    p += n;
    left -= size_t(n);
  }
  if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {  // EINVAL: a special file (/dev/full)
    const int error = errno;
    ::close(fd);
    throw std::runtime_error("flushing to disk failed: " + writeErrorText(error));
  }
  if (::close(fd) != 0) throw std::runtime_error("closing the file failed: " + writeErrorText(errno));
}

void writeBytesAtomically(const fs::path& path, const std::string& bytes) {
  writeFileAtomically(path, [&](const fs::path& tmp) { writeWholeFile(tmp, bytes); });
}

void writeFilesAtomically(const std::vector<FileBytes>& files) {
  std::error_code ec;
  for (const FileBytes& f : files) checkTarget(f.path);
  std::vector<fs::path> tmps;
  auto removeTemporaries = [&] {
    std::error_code rm;
    for (const fs::path& t : tmps) fs::remove(t, rm);
  };
  for (const FileBytes& f : files) {
    tmps.push_back(atomicTemporaryFor(f.path));
    try {
      writeWholeFile(tmps.back(), f.bytes);
    } catch (const std::exception& e) {
      removeTemporaries();
      throw std::runtime_error("cannot write '" + f.path.string() + "': " + e.what());
    }
  }
  // Every file is complete on disk. A hard link keeps each previous file (no data is copied, so it
  // works on a full disk) until all renames went through; it has a temporary's name, so a process
  // killed here leaves nothing that the next write does not clean.
  std::vector<fs::path> backups(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (!fs::exists(files[i].path, ec)) continue;
    const fs::path b = atomicTemporaryFor(files[i].path);
    if (::link(files[i].path.c_str(), b.c_str()) == 0) backups[i] = b;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    fs::rename(tmps[i], files[i].path, ec);
    if (!ec) continue;
    const std::string why = ec.message();
    std::error_code undo;
    for (size_t j = 0; j < i; ++j) {  // put back what was there
      if (!backups[j].empty()) fs::rename(backups[j], files[j].path, undo);
      else fs::remove(files[j].path, undo);
    }
    for (size_t j = i; j < files.size(); ++j)
      if (!backups[j].empty()) fs::remove(backups[j], undo);
    removeTemporaries();
    throw std::runtime_error("cannot write '" + files[i].path.string() + "': rename failed: " + why);
  }
  for (const fs::path& b : backups)
    if (!b.empty()) fs::remove(b, ec);
  for (const FileBytes& f : files) syncPath(withFolder(f.path).parent_path(), true);
}

}  // namespace fieldscope
