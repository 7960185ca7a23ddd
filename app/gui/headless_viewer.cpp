#include "app/gui/headless_viewer.h"

#include <chrono>
#include <thread>

namespace fieldscope {

HeadlessViewer::HeadlessViewer(int gpuIndex, int cudaDevice) {
  ContextOptions o;
  o.gpuIndex = gpuIndex;
  o.cudaDevice = cudaDevice;
  o.quiet = true;
  ctx_ = std::make_unique<VulkanContext>(o);
  pyramid_ = std::make_unique<PyramidView>(*ctx_);
  compositor_ = std::make_unique<Compositor>(*ctx_, pyramid_->atlasBuffer(), pyramid_->atlasBytes(),
                                             PyramidView::kTileSize, pyramid_->exactBuffer(),
                                             pyramid_->exactLayerBytes());
}

HeadlessViewer::~HeadlessViewer() {
  image_.reset();
  compositor_.reset();
  pyramid_.reset();
}

void HeadlessViewer::setTileCacheSlots(int slots) {
  vkDeviceWaitIdle(ctx_->device());
  pyramid_->resizeAtlas(slots);
  compositor_->setAtlas(pyramid_->atlasBuffer(), pyramid_->atlasBytes());
}

std::vector<uint8_t> HeadlessViewer::renderFrame(const View2D& view, bool still) {
  composeFrame(view, still);
  return image_->readback(*ctx_);
}

void HeadlessViewer::composeFrame(const View2D& view, bool still) {
  if (!image_ || image_->width() != uint32_t(view.width()) || image_->height() != uint32_t(view.height()))
    image_ = std::make_unique<OffscreenImage>(*ctx_, view.width(), view.height());
  ++frame_;
  // Each headless frame is waited for, so every earlier frame has completed.
  ComposeParams params = pyramid_->update(view, view.width() * 0.5, view.height() * 0.5, still, frame_, frame_ - 1);
  params.nearest = nearest_;
  ctx_->submitAndWait([&](VkCommandBuffer cmd) { compositor_->record(cmd, *image_, params, 0); },
                      pyramid_->vulkanWaits());
}

std::vector<uint8_t> HeadlessViewer::renderConverged(const View2D& view, double timeoutSeconds, bool* converged) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutSeconds);
  std::vector<uint8_t> pixels;
  for (;;) {
    const bool done = pyramid_->converged(view);
    pixels = renderFrame(view, true);
    if (done || std::chrono::steady_clock::now() > deadline) {
      if (converged) *converged = done;
      return pixels;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace fieldscope
