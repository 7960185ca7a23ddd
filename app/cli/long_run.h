#pragma once
// What every long command-line job shows and how it stops (docs/architecture.md "Commands"): a
// progress line with an ETA (model/train/progress_line.h) and Ctrl-C / SIGTERM asking the job to
// stop (model/train/interrupt_guard.h): the job's own code leaves nothing half made. Used by the
// `data` commands and the `eval` commands.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "model/train/interrupt_guard.h"
#include "model/train/progress_line.h"
#include "model/util/work_progress.h"

namespace fieldscope {

class LongRun {
 public:
  // `unit`: what the progress counts ("shapes", "crops"). `stoppable`: the job polls cancelled(),
  // so Ctrl-C only asks it to stop (a second Ctrl-C ends the process); a job that does not poll
  // (an evaluation, which writes nothing until it ends) keeps Ctrl-C's default.
  explicit LongRun(std::string unit, bool stoppable = true);
  LongRun(const LongRun&) = delete;
  LongRun& operator=(const LongRun&) = delete;

  // The report for the job (one line, redrawn in place; a new call with another unit starts a
  // new line: several phases of one command).
  WorkProgress progress();
  WorkProgress progress(const std::string& unit);
  // Polled by the job: true once Ctrl-C was pressed (said once on stderr).
  std::function<bool()> cancelled();
  // A message of the job (a skipped file) on its own line, above the progress line.
  static void message(const std::string& text);
  // Ends the progress line. A cancelled job says that nothing was written to `out` and exits 130.
  void finish(bool cancelled, const std::string& out);

 private:
  std::optional<InterruptGuard> guard_;
  std::optional<ProgressLine> line_;
  std::string unit_;
  bool said_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace fieldscope
