#pragma once
// StillRenderer: the thread a 3D domain renders its exact still frames on (docs/architecture.md
// "The 3D view's parts"). Each frame the domain view calls poll(): it takes the view's
// still request (GridView3D::takeStillRequest) and hands it to the thread; the newest wins (an
// older one is cancelled first). `render` writes the still's rows top to bottom, calling
// finishRows() as bands finish and returning early once cancelled(); an exception marks the
// still failed (the march stays) and comes back once through takeError(). Torch-free: `render`
// does the torch work.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "app/views/still_frame.h"

namespace fieldscope {

class GridView3D;

class StillRenderer {
 public:
  using Render = std::function<void(StillFrame& still)>;
  explicit StillRenderer(Render render);
  ~StillRenderer();  // cancels a running still and joins
  StillRenderer(const StillRenderer&) = delete;
  StillRenderer& operator=(const StillRenderer&) = delete;

  // UI thread, once a frame (before the view records).
  void poll(GridView3D& view);
  std::string takeError();
  uint64_t started() const { return started_; }

 private:
  void run();

  Render render_;
  std::mutex mutex_;
  std::condition_variable wake_;
  StillFramePtr queued_, running_;
  bool stop_ = false;
  std::string error_;
  uint64_t started_ = 0;
  std::thread thread_;
};

}  // namespace fieldscope
