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

bool Playhead::advanceWhenReady(double seconds, const std::function<bool(int64_t)>& ready) {
  Playhead next = *this;
  next.advance(seconds);
  const int64_t key = next.timeKey();
  if (key != timeKey() && !ready(key)) return true;  // hold this frame until the next one is decoded
  *this = next;
  return false;
}

std::vector<int64_t> Playhead::upcomingKeys(int count) const {
  std::vector<int64_t> keys;
  if (frames < 2) return keys;
  const int64_t step = std::clamp(playTicks, 1, int(kTicksPerFrame));
  const int64_t last = int64_t(frames - 1) * kTicksPerFrame;
  const int64_t now = ticksOf(t, frames), shown = now - now % step;
  int64_t k = shown;
  while (int(keys.size()) < count) {
    k += step;
    if (k > last) {
      if (!loop) break;
      k = 0;
    }
    if (k == shown) break;  // once round the loop
    keys.push_back(k);
  }
  return keys;
}

void Playhead::seek(double time) { t = std::clamp(std::isfinite(time) ? time : 0.0, 0.0, 1.0); }

double Playhead::frameIndex() const { return t * (frames - 1); }

bool Playhead::betweenFrames() const { return ticksOf(t, frames) % kTicksPerFrame != 0; }

int64_t Playhead::timeKey() const {
  const int64_t k = ticksOf(t, frames);
  return playing ? k - k % std::clamp(playTicks, 1, int(kTicksPerFrame)) : k;
}

double Playhead::keyTime(int64_t key, int frames) {
  return frames < 2 ? 0.0 : std::clamp(double(key) / (double(frames - 1) * kTicksPerFrame), 0.0, 1.0);
}

double Playhead::clipSeconds() const { return (frames - 1) / std::max(1e-9, fps * speed); }

}  // namespace fieldscope
