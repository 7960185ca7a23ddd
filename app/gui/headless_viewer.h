#pragma once
// HeadlessViewer: the viewer's render path (pyramid + worker + compositor) with no window and
// no display: composes into the offscreen viewport image and reads it back. Used by
// `fieldscope selftest`, `sample --renderer viewer` and the tests.
#include <cstdint>
#include <memory>
#include <vector>

#include "app/gui/pyramid_view.h"
#include "render/compositor.h"
#include "render/context.h"
#include "render/offscreen_image.h"

namespace fieldscope {

class HeadlessViewer {
 public:
  // cudaDevice >= 0: the Vulkan device that is this CUDA device, with CUDA shared memory.
  explicit HeadlessViewer(int gpuIndex = -1, int cudaDevice = -1);
  ~HeadlessViewer();

  VulkanContext& context() { return *ctx_; }
  PyramidView& pyramid() { return *pyramid_; }
  void setNearest(bool nearest) { nearest_ = nearest; }
  // A new tile cache budget, as the Settings panel applies it: the GPU goes idle, the atlas is
  // rebuilt and the compositor reads the new one.
  void setTileCacheSlots(int slots);
  // Composes one frame of `view` from whatever is decoded now; returns RGBA8 pixels.
  std::vector<uint8_t> renderFrame(const View2D& view, bool still = true);
  // The same frame without the read-back (benchmarks: composition alone).
  void composeFrame(const View2D& view, bool still);
  // Renders frames until the still view has converged (the exact view has landed) or
  // timeoutSeconds passed; returns the last frame. `converged` tells which.
  std::vector<uint8_t> renderConverged(const View2D& view, double timeoutSeconds, bool* converged = nullptr);

 private:
  std::unique_ptr<VulkanContext> ctx_;
  std::unique_ptr<PyramidView> pyramid_;
  std::unique_ptr<Compositor> compositor_;
  std::unique_ptr<OffscreenImage> image_;
  uint64_t frame_ = 0;
  bool nearest_ = false;
};

}  // namespace fieldscope
