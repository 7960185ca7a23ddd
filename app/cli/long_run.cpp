#include "app/cli/long_run.h"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace fieldscope {

LongRun::LongRun(std::string unit, bool stoppable) : unit_(std::move(unit)) {
  if (stoppable) guard_.emplace(/*announce=*/false);
}

WorkProgress LongRun::progress() { return progress(unit_); }

WorkProgress LongRun::progress(const std::string& unit) {
  return [this, unit](int64_t done, int64_t total) {
    if (line_ && unit != unit_) {
      line_->finish();
      line_.reset();
    }
    unit_ = unit;
    if (!line_) line_.emplace(total, 0, unit);
    line_->update(done, "");
  };
}

std::function<bool()> LongRun::cancelled() {
  return [this] {
    const bool requested = guard_ && guard_->requested();
    if (requested && !said_) {
      std::fprintf(stderr, "\nfieldscope: stopping; nothing unfinished is kept\n");
      said_ = true;
    }
    return requested;
  };
}

void LongRun::message(const std::string& text) { std::fprintf(stderr, "\r%s\n", text.c_str()); }

void LongRun::finish(bool cancelled, const std::string& out) {
  if (line_) line_->finish();
  line_.reset();
  if (!cancelled) return;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "cancelled after %.1f s: nothing was written to %s\n", s, out.c_str());
  throw CLI::RuntimeError(130);
}

}  // namespace fieldscope
