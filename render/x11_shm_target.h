#pragma once
// X11ShmTarget: shows a window's frames through the X server's MIT-SHM extension (XShmPutImage
// from a shared memory segment). For CPU Vulkan drivers on X servers without DRI3 (Xvfb, Xvnc, ...),
// where Mesa's swapchain sends each frame's pixels through the X socket instead: at 1280x720 that
// is 3.6 MB a frame that the server reads from its socket (docs/architecture.md "Presenting on a
// CPU driver"). No Vulkan here: the presenter copies its image into pixels() and calls put().
#include <cstdint>
#include <memory>
#include <string>

struct GLFWwindow;

namespace fieldscope {

class X11ShmTarget {
 public:
  // A target of width x height for the window, or nullptr with the reason in `why`: the window is
  // not an X11 one, the server has no MIT-SHM, its visual is not 24-bit BGRX in little-endian
  // order, or attaching the segment failed (a remote display cannot share memory).
  static std::unique_ptr<X11ShmTarget> open(GLFWwindow* window, int width, int height, std::string& why);
  ~X11ShmTarget();
  X11ShmTarget(const X11ShmTarget&) = delete;
  X11ShmTarget& operator=(const X11ShmTarget&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  // Where the next frame goes: height rows of width * 4 bytes, B, G, R, X (a B8G8R8A8 image as it
  // is). Waits first until the server has read the last put() (one round trip, usually done).
  uint8_t* pixels();
  // Shows the pixels in the window (top-left) and sends the request without waiting for it.
  void put();

 private:
  struct State;
  explicit X11ShmTarget(std::unique_ptr<State> s, int width, int height);
  std::unique_ptr<State> s_;
  int width_, height_;
};

}  // namespace fieldscope
