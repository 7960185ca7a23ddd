#include "model/io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace fieldscope {
namespace fs = std::filesystem;

namespace {
fs::path temporaryNameFor(const fs::path& path) {
  std::random_device rd;
  return path.parent_path() /
         ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
}
}  // namespace

void writeFileAtomically(const fs::path& path, const std::function<void(const fs::path&)>& write) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("cannot write '" + path.string() + "': folder '" + dir.string() + "' does not exist");
  if (fs::is_directory(path, ec))
    throw std::runtime_error("cannot write '" + path.string() + "': it is a folder");
  const fs::path tmp = temporaryNameFor(path.parent_path().empty() ? fs::path(".") / path : path);
  try {
    write(tmp);
  } catch (const std::exception& e) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path.string() + "': " + e.what());
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path.string() + "': rename failed: " + ec.message());
  }
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
