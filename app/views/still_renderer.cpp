#include "app/views/still_renderer.h"

#include <cstdio>
#include <utility>

#include "app/views/grid_view3d.h"

namespace fieldscope {

StillRenderer::StillRenderer(Render render) : render_(std::move(render)) { thread_ = std::thread([this] { run(); }); }

StillRenderer::~StillRenderer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    if (queued_) queued_->cancel();
    if (running_) running_->cancel();
    queued_.reset();
  }
  wake_.notify_all();
  thread_.join();
}

void StillRenderer::poll(GridView3D& view) {
  StillFramePtr still = view.takeStillRequest();
  if (!still) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queued_) queued_->cancel();
    if (running_) running_->cancel();
    queued_ = std::move(still);
    ++started_;
  }
  wake_.notify_all();
}

std::string StillRenderer::takeError() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(error_, std::string());
}

void StillRenderer::run() {
  for (;;) {
    StillFramePtr still;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || queued_; });
      if (stop_) return;
      still = running_ = std::move(queued_);
      queued_.reset();
    }
    try {
      if (!still->cancelled()) render_(*still);
    } catch (const std::exception& e) {
      still->fail();
      std::fprintf(stderr, "fieldscope: the exact still frame failed: %s\n", e.what());
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::string("the exact still frame failed: ") + e.what();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    running_.reset();
  }
}

}  // namespace fieldscope
