#include "app/views/still_frame.h"

#include <algorithm>

#include "render/gpu_buffer.h"

namespace fieldscope {

StillFrame::StillFrame(const VulkanContext& ctx, int width, int height, const CameraFrame& camera, int renderMode,
                       const std::array<float, 3>& background)
    : buffer_(std::make_unique<GpuBuffer>(ctx, VkDeviceSize(width) * height * 4, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, true)),
      width_(width),
      height_(height),
      camera_(camera),
      renderMode_(renderMode),
      background_(background) {}

StillFrame::~StillFrame() = default;

uint8_t* StillFrame::row(int y) { return static_cast<uint8_t*>(buffer_->mapped()) + size_t(y) * width_ * 4; }

void StillFrame::finishRows(int rows) {
  rows = std::clamp(rows, 0, height_);
  int seen = rows_.load(std::memory_order_relaxed);
  while (seen < rows && !rows_.compare_exchange_weak(seen, rows, std::memory_order_release)) {
  }
}

double StillFrame::secondsSinceStart() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double StillFrame::etaSeconds() const {
  const int done = rowsDone();
  if (done <= 0) return -1;
  return secondsSinceStart() * double(height_ - done) / done;
}

}  // namespace fieldscope
