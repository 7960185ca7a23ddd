#pragma once
// Ctrl-C and SIGTERM during training: the first one only sets a flag (the loop finishes its step,
// saves and returns); a second one exits at once. Installed for the guard's lifetime; the previous
// handlers come back afterwards, so the rest of a process (tests, the GUI) keeps its own.
#include <csignal>

namespace fieldscope {

class InterruptGuard {
 public:
  // `announce`: say on stderr, from the handler, that the run stops after the current step.
  explicit InterruptGuard(bool announce = true);
  ~InterruptGuard();  // restores the previous handlers and clears the flag (the stop was handled)
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  bool requested() const;

 private:
  struct sigaction previousInt_ {}, previousTerm_{};
  bool previousAnnounce_;
};

}  // namespace fieldscope
