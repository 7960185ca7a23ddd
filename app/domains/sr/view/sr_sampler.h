#pragma once
// The SR view's diffusion samples (docs/architecture.md "The SR view"): on a thread of its own, the
// decoder-only latent of the picture at the chosen size is computed once, then one diffusion sample
// per requested seed (sr_diffusion.h); each finished sample becomes an SrField the view shows,
// compares or lays out in the sample strip. The view keeps showing and decoding what it has
// meanwhile. A new size or step count starts over; cancel() stops between steps.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/domains/sr/cli/sr_model_file.h"

namespace fieldscope {

class SrField;

struct SrSample {
  uint64_t seed = 0;
  std::shared_ptr<SrField> field;
  double seconds = 0;
};

class SrSampler {
 public:
  SrSampler(std::shared_ptr<LoadedSrModel> model, std::shared_ptr<SrPicture> picture);
  ~SrSampler();

  // Forgets every sample and pending seed when the size or the steps differ from the last call's.
  void setTarget(int64_t outW, int64_t outH, int steps);
  // Queues the seed (nothing when it is done or queued already).
  void request(uint64_t seed);
  void cancel();  // drops the queue and stops the running sample

  // The samples finished since the last call (UI thread).
  std::vector<SrSample> takeFinished();
  // "sampling seed 3: step 12/50, 2 more queued"; "" when idle. An error stays until the next request.
  std::string note() const;
  bool busy() const;

 private:
  void run();

  const std::shared_ptr<LoadedSrModel> model_;
  const std::shared_ptr<SrPicture> picture_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  int64_t outW_ = 0, outH_ = 0;
  int steps_ = 50;
  uint64_t generation_ = 0;  // bumped by a new target: a running sample of an old one is dropped
  std::deque<uint64_t> queue_;
  std::vector<uint64_t> known_;  // done or queued for this target
  std::vector<SrSample> finished_;
  std::string error_;
  int64_t running_ = -1;  // the seed being sampled, -1 none
  std::atomic<int> step_{0}, totalSteps_{0};
  std::atomic<bool> cancel_{false};
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace fieldscope
