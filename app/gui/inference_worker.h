#pragma once
// InferenceWorker: the one thread that owns torch (DESIGN.md §3). It takes decode jobs
// (tiles of the pyramid, the exact view), runs them nearest-first in the order given, and
// drops stale ones: every submit replaces the queue (latest wins), and a running exact-view
// decode stops between row bands once it is no longer wanted. Results go straight into
// shared memory; the UI thread collects completion notes with drain().
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
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
};
using WorkerJob = std::variant<TileJob, ExactJob>;

struct WorkerResult {
  WorkerJob job;
  bool done = false;     // false: dropped before or while running
  double milliseconds = 0;
};

struct WorkerStats {
  size_t queued = 0;
  uint64_t tilesDecoded = 0;
  double lastTileMs = 0;
  double lastExactMs = 0;
  bool busy = false;
};

class InferenceWorker {
 public:
  // atlas: [slots, T, T, 4] uint8; exact: [layers, maxH * maxW * 4] uint8.
  InferenceWorker(SharedTensor& atlas, int tileSize, SharedTensor& exact, int64_t exactLayerBytes, int threads);
  ~InferenceWorker();
  InferenceWorker(const InferenceWorker&) = delete;
  InferenceWorker& operator=(const InferenceWorker&) = delete;

  void setSource(std::shared_ptr<FieldSource> source);
  // Decodes tiles into `atlas` from now on (a new tile cache budget). Drops the queued jobs
  // and waits for a tile being written into the old atlas; exact views and exports go on.
  // The notes about the old atlas' slots are discarded.
  void replaceAtlas(SharedTensor& atlas);
  // Long work on the torch thread (exports): runs before queued decodes, never dropped by
  // submit(); it watches its own cancel flag.
  void runTask(std::function<void()> task);
  void submit(std::vector<WorkerJob> jobs);
  std::vector<WorkerResult> drain();
  // Rows of exact job `id` that have landed (0 if that job is not the layer's latest).
  int exactRows(int layer, uint64_t id) const;
  WorkerStats stats() const;

 private:
  void run();
  void runTile(FieldSource& src, const TileJob& job);
  bool runExact(FieldSource& src, const ExactJob& job);

  SharedTensor* atlas_;  // replaced only while no tile job runs
  SharedTensor& exact_;
  int tileSize_;
  int64_t exactLayerBytes_;
  int threads_;

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
  std::atomic<uint64_t> wantedExact_{0};
  std::atomic<uint64_t> exactId_[2] = {0, 0};
  std::atomic<int> exactRows_[2] = {0, 0};
  uint64_t tilesDecoded_ = 0;
  double lastTileMs_ = 0, lastExactMs_ = 0;
  std::thread thread_;
};

}  // namespace fieldscope
