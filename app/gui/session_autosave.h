#pragma once
// SessionAutosave: writes the session when it changed -- throttled to one write per
// minInterval, not every frame -- and once more on exit. A failed write is reported once
// (the viewer goes on) and retried at the next change.
#include <optional>
#include <string>

#include "app/gui/session_file.h"

namespace fieldscope {

class SessionAutosave {
 public:
  explicit SessionAutosave(SessionFile file, double minIntervalSeconds = 1.0)
      : file_(std::move(file)), minInterval_(minIntervalSeconds) {}

  // Remembers what was loaded, so an unchanged session is not rewritten.
  void setSaved(const Session& s) { saved_ = s; }
  // Per frame: writes `s` if it differs from the last written one and the last write was at
  // least minInterval ago. Returns an error message once per failure, else "".
  std::string offer(const Session& s, double now);
  // On exit: writes `s` if it differs from the last written one.
  std::string flush(const Session& s);
  const SessionFile& file() const { return file_; }
  SessionFile& file() { return file_; }
  int writes() const { return writes_; }

 private:
  std::string write(const Session& s);
  SessionFile file_;
  double minInterval_;
  double lastWrite_ = -1e300;
  std::optional<Session> saved_;
  std::string lastError_;
  int writes_ = 0;
};

}  // namespace fieldscope
