#pragma once
// The training progress line on stderr: a bar, step/total, steps per second, a caller's text
// (the smoothed loss) and the ETA, redrawn in place.
#include <chrono>
#include <cstdint>
#include <string>

namespace fieldscope {

class ProgressLine {
 public:
  // `start`: the first step of this session (a resumed run's rate counts only its own steps).
  // `unit` names what is counted in the rate ("it" for steps, "rows" for a decode).
  ProgressLine(int64_t total, int64_t start, std::string unit = "it");
  // Redraws at most ~5 times a second (drawing costs more than a tiny step), and always at the end.
  void update(int64_t step, const std::string& extra);
  void finish();
  double elapsedSeconds() const;

 private:
  int64_t total_, start_;
  std::string unit_;
  std::chrono::steady_clock::time_point t0_, lastDraw_;
};

}  // namespace fieldscope
