#pragma once
// StillFrame: the exact still frame of a resting 3D view (docs/architecture.md "The 3D view's
// parts"). A domain that can render its field exactly (NeRF: through the MLP, not the baked
// grid) gets one from GridView3D::takeStillRequest() once the camera has rested and the
// full-resolution march is on screen. It holds the view state to render -- the camera, the
// viewport's size, the render mode and the background -- and host-visible memory of
// width x height RGBA8 pixels, top row first. The domain's thread (StillRenderer) writes rows
// top to bottom and calls finishRows(); each frame the view copies the newly finished rows over
// its march, so the picture turns exact band by band. Any change to the view state cancels it
// (cancelled() turns true, the march shows again). Torch-free.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "render/orbit_camera.h"

namespace fieldscope {

class GpuBuffer;
class VulkanContext;

class StillFrame {
 public:
  StillFrame(const VulkanContext& ctx, int width, int height, const CameraFrame& camera, int renderMode,
             const std::array<float, 3>& background);
  ~StillFrame();
  StillFrame(const StillFrame&) = delete;
  StillFrame& operator=(const StillFrame&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  const CameraFrame& camera() const { return camera_; }
  int renderMode() const { return renderMode_; }  // the view's mode index (VOLUME_MODE_* for NeRF)
  const std::array<float, 3>& background() const { return background_; }

  // --- the renderer's thread ---
  uint8_t* row(int y);  // width * 4 bytes
  // Rows [0, rows) are written (monotonic; releases the writes to the UI thread).
  void finishRows(int rows);
  bool cancelled() const { return cancel_.load(std::memory_order_relaxed); }
  void fail() { failed_ = true; }  // the render threw: the view keeps the march

  // --- the UI thread ---
  int rowsDone() const { return rows_.load(std::memory_order_acquire); }
  bool complete() const { return rowsDone() >= height_; }
  bool failed() const { return failed_.load(); }
  void cancel() { cancel_ = true; }
  const GpuBuffer& buffer() const { return *buffer_; }
  double secondsSinceStart() const;
  double etaSeconds() const;  // from the rows done so far; < 0 while none is

 private:
  std::unique_ptr<GpuBuffer> buffer_;
  int width_, height_;
  CameraFrame camera_;
  int renderMode_;
  std::array<float, 3> background_;
  std::atomic<int> rows_{0};
  std::atomic<bool> cancel_{false}, failed_{false};
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};
using StillFramePtr = std::shared_ptr<StillFrame>;

}  // namespace fieldscope
