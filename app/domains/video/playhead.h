#pragma once
// The video view's playhead (docs/architecture.md "The video domain"): the clip time t in [0, 1]
// (training frame k of T at k / (T - 1)), playing at a frame rate and speed, looping or stopping
// at the end, and the tile cache's time key for t. Keys count kTicksPerFrame steps between two
// training frames, so a scrubbed frame between frames is its own decode (the field at that t, not
// a blend); while playing t snaps to every kPlayTicks-th key, so a loop shows -- and finds cached
// -- the same frames each time round. Pure logic: no ImGui, no torch.
#include <cstdint>
#include <functional>
#include <vector>

namespace fieldscope {

struct Playhead {
  static constexpr int kTicksPerFrame = 16;
  static constexpr int kPlayTicks = 4;

  int frames = 16;     // T of the model's clips
  double t = 0;        // the clip time shown
  bool playing = false;
  bool loop = true;
  double fps = 8;      // training frames per second at speed 1
  double speed = 1;
  int playTicks = kPlayTicks;  // keys between two shown while playing (kTicksPerFrame: training frames only)

  // Wall-clock seconds since the last frame: moves t while playing; at the end it wraps (loop)
  // or stops on the last frame.
  void advance(double seconds);
  // advance(), except that a playing clip does not move onto a time key `ready` says is not
  // decoded yet: it waits on the frame it shows (buffering, as a video player does) and moves
  // on once that key is ready. Returns true while it waits.
  bool advanceWhenReady(double seconds, const std::function<bool(int64_t)>& ready);
  // The keys playback shows after the current one, in order (round to the start when looping;
  // none past the end otherwise), at most `count`: what to decode ahead of the playhead.
  std::vector<int64_t> upcomingKeys(int count) const;
  void seek(double time);         // clamps to [0, 1]; playing continues from there
  double frameIndex() const;      // t as a (fractional) training frame index, 0 .. T - 1
  bool betweenFrames() const;     // t is not on a training frame
  int64_t timeKey() const;        // the tile cache's key of what is shown
  static double keyTime(int64_t key, int frames);  // the clip time of a key
  double clipSeconds() const;     // the clip's duration at fps and speed
};

}  // namespace fieldscope
