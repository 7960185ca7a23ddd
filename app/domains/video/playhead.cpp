#include "app/domains/video/playhead.h"

#include <algorithm>
#include <cmath>

namespace fieldscope {

namespace {
int64_t ticksOf(double t, int frames) { return std::llround(t * (frames - 1) * Playhead::kTicksPerFrame); }
}  // namespace

void Playhead::advance(double seconds) {
  if (!playing || !(seconds > 0) || frames < 2) return;
  t += std::min(seconds, 0.5) * fps * speed / (frames - 1);  // a stall does not jump the clip
  if (t >= 1.0) {
    if (loop) {
      t = std::fmod(t, 1.0);
    } else {
      t = 1.0;
      playing = false;
    }
  }
}

void Playhead::seek(double time) { t = std::clamp(std::isfinite(time) ? time : 0.0, 0.0, 1.0); }

double Playhead::frameIndex() const { return t * (frames - 1); }

bool Playhead::betweenFrames() const { return ticksOf(t, frames) % kTicksPerFrame != 0; }

int64_t Playhead::timeKey() const {
  const int64_t k = ticksOf(t, frames);
  return playing ? k - k % kPlayTicks : k;
}

double Playhead::keyTime(int64_t key, int frames) {
  return frames < 2 ? 0.0 : std::clamp(double(key) / (double(frames - 1) * kTicksPerFrame), 0.0, 1.0);
}

double Playhead::clipSeconds() const { return (frames - 1) / std::max(1e-9, fps * speed); }

}  // namespace fieldscope
