#pragma once
// Scripted input for benchmarks and tests (--script NAME): per frame, a zoom about the
// viewport centre and a pan, like a user's wheel and drag, until the script ends.
#include <memory>
#include <string>

namespace fieldscope {

struct ScriptStep {
  double zoomFactor = 1.0;
  double panX = 0.0, panY = 0.0;
  int windowWidth = 0, windowHeight = 0;  // resize the window (0 = leave it)
  bool iconify = false, restore = false;  // minimise / restore the window
  bool done = false;
};

class InputScript {
 public:
  // "zoom-pan": x18 in, a pan, back out (issue 3 bench); "zoom-1000": x1 -> x1000 -> x1;
  // "resize": window resizes (down to tiny), minimise and restore, while zooming.
  // Throws std::runtime_error for an unknown name.
  static std::unique_ptr<InputScript> make(const std::string& name);
  ScriptStep step(int frame) const;
  const std::string& name() const { return name_; }

 private:
  explicit InputScript(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

}  // namespace fieldscope
