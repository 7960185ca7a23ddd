#pragma once
// GridBaker: a worker thread that bakes grids into a GridView3D (docs/architecture.md "The 3D
// view's parts"): request(n, bake) takes a back grid from the view (beginGrid), runs `bake` on
// the thread while the front grid stays on screen, and poll() -- on the UI thread, each frame --
// publishes it. The newest request wins: a running bake is told to stop, a queued one is
// replaced, and a bake that finishes after a newer request is dropped. A bake that throws comes
// back once through takeError(); nothing is retried. Torch-free: the bake function does the
// torch work (asTensor(target.shared()) is its output tensor).
//
// A domain that has its own torch thread (an InferenceWorker CustomJob) can do the same with
// GridView3D::beginGrid / publishGrid directly.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/views/grid_view3d.h"

namespace fieldscope {

class GridBaker {
 public:
  // On the baker's thread: write the target's n^3 values (then the baker calls writesDone()).
  // Return false when `cancel` turned true (the grid is dropped); set `progress` (0..1) as it goes.
  using Bake = std::function<bool(GridTarget& target, const std::atomic<bool>& cancel, std::atomic<float>& progress)>;

  // The view must outlive the baker (a GridView3DDomainView declares it after its view).
  explicit GridBaker(GridView3D& view);
  ~GridBaker();  // stops a running bake and joins
  GridBaker(const GridBaker&) = delete;
  GridBaker& operator=(const GridBaker&) = delete;

  // UI thread. `what` names it in messages ("torus 256^3"). Throws what beginGrid throws (a
  // grid the device or memory cannot hold), keeping the running bake. halfExtent <= 0: the view's
  // box (GridView3D::beginGrid).
  void request(int n, Bake bake, std::string what, float halfExtent = 0.0f);
  // UI thread, before the view's update(): publishes a finished bake.
  void poll();
  bool busy() const;            // a bake queued or running
  float progress() const { return progress_.load(); }
  uint64_t requested() const { return requested_; }
  uint64_t finished() const { return finished_; }  // bakes that completed and were published
  double lastBakeMs() const { return lastMs_; }
  std::string takeError() { return std::exchange(error_, std::string()); }
  // "baking torus 256^3: 45%" / "baked torus 128^3 in 0.21 s" / "".
  std::string statusLine() const;

 private:
  struct Job {
    uint64_t id = 0;
    GridTargetPtr target;
    Bake bake;
    std::string what;
  };
  struct Result {
    uint64_t id = 0;
    GridTargetPtr target;
    bool ok = false;
    std::string error, what;
    double ms = 0;
  };
  void run();

  GridView3D& view_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // at most one: the newest
  std::deque<Result> results_;
  std::shared_ptr<std::atomic<bool>> runningCancel_;
  bool running_ = false, stop_ = false;
  std::atomic<float> progress_{0};
  uint64_t requested_ = 0, finished_ = 0, latest_ = 0;
  double lastMs_ = 0;
  std::string lastWhat_, runningWhat_, error_;
  std::thread thread_;
};

}  // namespace fieldscope
