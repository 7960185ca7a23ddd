#include "app/gui/frame_rate.h"

#include <cmath>
#include <cstdio>

namespace fieldscope {

void FrameRate::add(double ms, bool followed) {
  followed_ = followed;
  if (!followed || !(ms > 0) || !std::isfinite(ms)) return;
  ms_ = ms_ == 0 ? ms : 0.9 * ms_ + 0.1 * ms;
}

std::string FrameRate::text() const {
  char buf[64];
  if (!followed_) {
    if (ms_ == 0) return "at rest";
    std::snprintf(buf, sizeof buf, "at rest, %.0f fps moving", fps());
  } else {
    std::snprintf(buf, sizeof buf, "%.0f fps  %.1f ms", fps(), ms_);
  }
  return buf;
}

}  // namespace fieldscope
