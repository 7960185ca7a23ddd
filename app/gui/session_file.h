#pragma once
// SessionFile: the session's JSON file, $XDG_CONFIG_HOME/fieldscope/session.json (else
// ~/.config/fieldscope/session.json). Written atomically (temporary file + rename), so a crash
// never leaves half a session. A file that cannot be read or parsed is never deleted: it is
// renamed aside (session.json.bad) and the viewer starts fresh.
#include <filesystem>
#include <optional>
#include <string>

#include "app/gui/session.h"

namespace fieldscope {

class SessionFile {
 public:
  explicit SessionFile(std::filesystem::path path) : path_(std::move(path)) {}
  // The default location; empty when neither XDG_CONFIG_HOME nor HOME is set.
  static std::filesystem::path defaultPath();

  const std::filesystem::path& path() const { return path_; }
  // No file: nullopt and no problem. A corrupt or unreadable file: nullopt, `problem` names the
  // file and what is wrong, and the file is moved to <path>.bad (or .bad.1, .bad.2, ... when
  // that exists). If it cannot be moved either, saving stays off for this run (canSave() is
  // false) so the user's file is not overwritten.
  std::optional<Session> load(std::string& problem);
  // A session that parsed but cannot be used (its view state is wrong): moved aside the same
  // way; returns the message for the user.
  std::string setAside(const std::string& reason);
  // Creates the folder if needed; throws std::runtime_error naming the file.
  void save(const Session& session) const;
  bool canSave() const { return canSave_; }

 private:
  std::filesystem::path path_;
  bool canSave_ = true;
};

}  // namespace fieldscope
