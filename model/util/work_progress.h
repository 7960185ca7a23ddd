#pragma once
// The progress report of a long piece of model work (an evaluation, a data set): called on the
// calling thread with how much is done of how much, at least once at the end (done == total).
// The command line draws it as a ProgressLine (model/train/progress_line.h); empty means silent.
#include <cstdint>
#include <functional>

namespace fieldscope {

using WorkProgress = std::function<void(int64_t done, int64_t total)>;

inline void reportProgress(const WorkProgress& progress, int64_t done, int64_t total) {
  if (progress) progress(done, total);
}

}  // namespace fieldscope
