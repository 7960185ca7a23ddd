#pragma once
// InferenceWorker: the one thread of a view that owns torch (docs/architecture.md "Worker").
// It takes decode requests -- tiles of the pyramid, the exact view, or any other job a
// domain brings (grid bakes, video frames...) -- runs them in priority order, and drops stale
// ones: every submit replaces the queue (latest wins, a new generation), and a running job
// that is no longer wanted is told to stop. Results go straight into shared memory; the UI
// thread collects completion notes with drain(). A job that throws carries its error back in
// its note, once: the worker never retries anything by itself.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "app/gui/field_source.h"
#include "cuda_interop/shared_tensor.h"
#include "render/tile_pyramid.h"

namespace fieldscope {

struct TileJob {
  TileKey key;
  int slot = 0;
};
struct ExactJob {
  uint64_t id = 0;  // unique per request
  Region region;
  int width = 0, height = 0;
  int layer = 0;    // which exact layer (double-buffered)
  int64_t time = 0; // the source's time index
  // Asked for while the view still moves (queued behind that frame's tiles; it does not preempt
  // them): smaller bands, so the tiles of the next view wait a few milliseconds at most for it.
  bool whileMoving = false;
};
// Any other work on the torch thread (a grid bake, a video frame...). `stop` turns true once
// the job is no longer wanted; the job returns early then (its note says "dropped").
struct CustomJob {
  uint64_t id = 0;  // identity: a submit that lists the same id keeps it
  std::string what; // for messages: "grid bake 128^3"
  std::function<void(const std::atomic<bool>& stop)> run;
};

// A request: what to decode, its priority (lower runs first; equal ones keep their order)
// and the source it reads (tile and exact jobs; null: the worker's current source).
struct WorkerJob : std::variant<TileJob, ExactJob, CustomJob> {
  using Base = std::variant<TileJob, ExactJob, CustomJob>;
  using Base::Base;
  int priority = 0;
  std::shared_ptr<FieldSource> source;
};

struct WorkerResult {
  WorkerJob job;
  bool done = false;       // false: dropped before or while running, or failed
  double milliseconds = 0;
  std::string error;       // non-empty: the job threw this (reported once, never retried here)
  uint64_t generation = 0; // the submit() it came from
};

struct WorkerStats {
  size_t queued = 0;
  uint64_t tilesDecoded = 0;
  uint64_t failures = 0;
  double lastTileMs = 0;
  double lastExactMs = 0;
  bool busy = false;
};

class InferenceWorker {
 public:
  static constexpr int kTileBands = 4;  // a tile is decoded in this many bands (a stop waits for one)
  // atlas: [slots, T, T, 4] uint8; exact: [layers, maxH * maxW * 4] uint8. `threads`: torch's
  // threads for tiles and other jobs (the UI keeps a core while the view moves); `exactThreads`:
  // for the exact view (every core the machine lends, also when it is asked for while the view
  // moves) (0: the same as `threads`).
  InferenceWorker(SharedTensor& atlas, int tileSize, SharedTensor& exact, int64_t exactLayerBytes, int threads,
                  int exactThreads = 0);
  ~InferenceWorker();
  InferenceWorker(const InferenceWorker&) = delete;
  InferenceWorker& operator=(const InferenceWorker&) = delete;

  void setSource(std::shared_ptr<FieldSource> source);
  // Called on the worker's thread when an exact view or a custom job has finished, so that a
  // frame loop sleeping until its next event shows it at once (glfwPostEmptyEvent). Set before use.
  void setOnLanded(std::function<void()> f) { onLanded_ = std::move(f); }
  // Decodes tiles into `atlas` from now on (a new tile cache budget). Drops the queued jobs
  // and waits for a tile being written into the old atlas; exact views and exports go on.
  // The notes about the old atlas' slots are discarded.
  void replaceAtlas(SharedTensor& atlas);
  // Long work on the torch thread (exports): runs before queued decodes, never dropped by
  // submit(); it watches its own cancel flag.
  void runTask(std::function<void()> task);
  // Replaces the queue with `jobs` (sorted by priority, stable); returns its generation.
  uint64_t submit(std::vector<WorkerJob> jobs);
  std::vector<WorkerResult> drain();
  // Rows of exact job `id` that have landed (0 if that job is not the layer's latest).
  int exactRows(int layer, uint64_t id) const;
  WorkerStats stats() const;

 private:
  void run();
  bool runTile(FieldSource& src, const TileJob& job);  // false: stopped (preempted)
  bool runExact(FieldSource& src, const ExactJob& job);
  static bool sameJob(const WorkerJob& a, const WorkerJob& b);

  SharedTensor* atlas_;  // replaced only while no tile job runs
  SharedTensor& exact_;
  int tileSize_;
  int64_t exactLayerBytes_;
  int threads_;
  int exactThreads_;
  std::function<void()> onLanded_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable jobDone_;  // runningSlot_ went back to -1
  std::deque<WorkerJob> queue_;
  std::deque<std::function<void()>> tasks_;
  std::vector<WorkerResult> results_;
  std::shared_ptr<FieldSource> source_;
  bool stop_ = false;
  bool busy_ = false;
  int runningSlot_ = -1;
  WorkerJob running_;              // valid while busy_ with a queued job
  std::atomic<bool> stopRunning_{false};
  std::atomic<bool> exactWhileMoving_{false};  // the running exact job's latest whileMoving
  bool runningWanted_ = true;      // the running exact or custom job was in the latest submit
  bool preempted_ = false;         // the running tile yielded to an exact view and is queued again
  uint64_t generation_ = 0;
  uint64_t runningGeneration_ = 0;
  uint64_t failures_ = 0;
  std::atomic<uint64_t> exactId_[2] = {0, 0};
  std::atomic<int> exactRows_[2] = {0, 0};
  uint64_t tilesDecoded_ = 0;
  double lastTileMs_ = 0, lastExactMs_ = 0;
  std::thread thread_;
};

}  // namespace fieldscope
