#include "app/gui/session_autosave.h"

#include <stdexcept>

namespace fieldscope {

std::string SessionAutosave::offer(const Session& s, double now) {
  if (!file_.canSave() || (saved_ && *saved_ == s) || now - lastWrite_ < minInterval_) return "";
  lastWrite_ = now;
  return write(s);
}

std::string SessionAutosave::flush(const Session& s) {
  if (!file_.canSave() || (saved_ && *saved_ == s)) return "";
  return write(s);
}

std::string SessionAutosave::write(const Session& s) {
  try {
    file_.save(s);
    saved_ = s;
    ++writes_;
    lastError_.clear();
    return "";
  } catch (const std::exception& e) {
    const std::string msg = std::string("session not saved: ") + e.what();
    if (msg == lastError_) return "";  // said once already
    lastError_ = msg;
    return msg;
  }
}

}  // namespace fieldscope
