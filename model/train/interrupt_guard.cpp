#include "model/train/interrupt_guard.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace fieldscope {

namespace {
// The one piece of global state: a signal handler can reach nothing else. Lock-free atomics are
// async-signal-safe.
std::atomic<int> gSignals{0};
std::atomic<bool> gAnnounce{true};

extern "C" void onStopSignal(int sig) {
  if (gSignals.fetch_add(1) >= 1) std::_Exit(128 + sig);  // the second signal: the user means it
  if (gAnnounce.load()) {
    static const char msg[] = "\nfieldscope: stopping after this step and saving (signal again to quit at once)\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);  // write(2) is signal-safe
  }
}
}  // namespace

InterruptGuard::InterruptGuard(bool announce) : previousAnnounce_(gAnnounce.exchange(announce)) {
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // a signal must not fail the file I/O of the step in flight
  sigaction(SIGINT, &sa, &previousInt_);
  sigaction(SIGTERM, &sa, &previousTerm_);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previousInt_, nullptr);
  sigaction(SIGTERM, &previousTerm_, nullptr);
  gAnnounce.store(previousAnnounce_);
  gSignals.store(0);
}

bool InterruptGuard::requested() const { return gSignals.load() > 0; }

}  // namespace fieldscope
