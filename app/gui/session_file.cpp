#include "app/gui/session_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "model/io/atomic_file.h"

namespace fieldscope {
namespace fs = std::filesystem;

fs::path SessionFile::defaultPath() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return fs::path(x) / "fieldscope" / "session.json";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".config" / "fieldscope" / "session.json";
  return {};
}

namespace {
// The first of <path>.bad, <path>.bad.1, ... that does not exist yet.
fs::path asideName(const fs::path& path) {
  std::error_code ec;
  fs::path bad = path.string() + ".bad";
  for (int i = 1; fs::exists(bad, ec) && i < 1000; ++i) bad = path.string() + ".bad." + std::to_string(i);
  return bad;
}

std::string readAll(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw std::runtime_error("it is a folder");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot open it: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw std::runtime_error(std::string("read failed: ") + std::strerror(errno));
  return ss.str();
}
}  // namespace

std::optional<Session> SessionFile::load(std::string& problem) {
  problem.clear();
  std::error_code ec;
  if (path_.empty() || (!fs::exists(path_, ec) && !fs::is_symlink(path_, ec))) return std::nullopt;
  std::string reason;
  try {
    return sessionFromJson(nlohmann::json::parse(readAll(path_)));
  } catch (const nlohmann::json::exception& e) {
    reason = std::string("not valid JSON (") + e.what() + ")";
  } catch (const std::exception& e) {
    reason = e.what();
  }
  problem = setAside(reason);
  return std::nullopt;
}

std::string SessionFile::setAside(const std::string& reason) {
  std::error_code ec;
  std::string problem;
  const fs::path bad = asideName(path_);
  fs::rename(path_, bad, ec);
  if (ec) {
    canSave_ = false;
    problem = "session file '" + path_.string() + "' is unusable: " + reason + "; it could not be moved aside (" +
              ec.message() + "), so this session will not be saved";
  } else {
    problem = "session file '" + path_.string() + "' is unusable: " + reason + "; starting fresh (the file was kept as '" +
              bad.string() + "')";
  }
  return problem;
}

void SessionFile::save(const Session& session) const {
  if (path_.empty()) throw std::runtime_error("no session file location (neither XDG_CONFIG_HOME nor HOME is set)");
  std::error_code ec;
  fs::create_directories(path_.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create the folder '" + path_.parent_path().string() + "': " + ec.message());
  writeBytesAtomically(path_, sessionToJson(session).dump(2) + "\n");
}

}  // namespace fieldscope
