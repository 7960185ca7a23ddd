#pragma once
// FrameRate: the frame rate the status bar shows. Only frames that followed one another at once
// count (the view moving, or an element driving frames): at rest the loop sleeps between frames
// (docs/architecture.md "The app loop"), and the time between them says nothing about how fast
// the app draws -- a still view showed "2 fps 500 ms". Pure, unit-tested in tests/viewer/.
#include <string>

namespace fieldscope {

class FrameRate {
 public:
  // A frame `ms` after the one before; `followed`: the loop did not wait for events before it.
  void add(double ms, bool followed);
  bool atRest() const { return !followed_; }
  // The smoothed time of the frames that followed one another (0 before any), and its rate.
  double ms() const { return ms_; }
  double fps() const { return ms_ > 0 ? 1000.0 / ms_ : 0; }
  // "62 fps  16.1 ms" while frames follow one another; at rest "at rest, 62 fps moving" (or
  // "at rest" before the view has moved).
  std::string text() const;

 private:
  double ms_ = 0;
  bool followed_ = false;
};

}  // namespace fieldscope
