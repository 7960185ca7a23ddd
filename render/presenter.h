#pragma once
// Presenter: the swapchain of a window, the UI render pass drawn on top of it, and the
// per-frame command buffers and synchronisation (kFramesInFlight frames). It recreates the
// swapchain on resize and skips frames while the window is minimised. On a CPU driver with an
// X server that shares memory, the window's images are its own and reach the window through
// MIT-SHM (X11ShmTarget) instead of a swapchain (docs/architecture.md "Presenting on a CPU driver").
#include <vulkan/vulkan.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "render/context.h"
#include "render/frames_in_flight.h"
#include "render/window.h"

namespace fieldscope {

class GpuBuffer;
class OffscreenImage;
class X11ShmTarget;

class Presenter {
 public:
  Presenter(const VulkanContext& ctx, Window& window);
  ~Presenter();
  Presenter(const Presenter&) = delete;
  Presenter& operator=(const Presenter&) = delete;

  struct Frame {
    VkCommandBuffer cmd;
    uint32_t imageIndex;
    int slot;           // per-frame resources index (< kFramesInFlight)
    uint64_t number;    // frames are numbered from 1
    VkImage image;
  };
  // Waits until this slot's previous frame finished, acquires an image, begins the command
  // buffer; the swapchain image is in TRANSFER_DST layout; beginRenderPass clears what the
  // blits in between did not cover to `clear`.
  // Empty when nothing can be drawn now (minimised, or the swapchain was just recreated).
  std::optional<Frame> begin(const float clear[4]);
  // Copies `source` 1:1 into the swapchain image at (x, y) (clipped to the window).
  void blit(const Frame& f, class OffscreenImage& source, int x, int y);
  // Stretches the top-left sourceWidth x sourceHeight of `source` (bilinear) over the
  // width x height rectangle at (x, y) (clipped to the window): a view's reduced picture goes
  // straight to the screen, one full-window pass fewer than stretching it into the viewport
  // image first (docs/architecture.md "The 3D view's parts").
  void blitStretched(const Frame& f, class OffscreenImage& source, int sourceWidth, int sourceHeight, int x, int y,
                     int width, int height);
  // The swapchain image takes raw RGBA8 bytes as they are (a UNORM format): a view may copy its
  // pixels straight into it (in BGRA order when `directBgra()`) instead of into the viewport image
  // to be blitted: on lavapipe that blit (a textured quad) cost ~6.5 ms a frame at 960x676.
  bool acceptsDirectCopies() const {
    return format_ == VK_FORMAT_B8G8R8A8_UNORM || format_ == VK_FORMAT_R8G8B8A8_UNORM;
  }
  bool directBgra() const { return format_ == VK_FORMAT_B8G8R8A8_UNORM; }
  // A view copied its pixels into the rectangle at (x, y) itself: beginRenderPass clears around it.
  void coverDirect(int x, int y, int width, int height);
  // Moves the image to colour-attachment layout, begins the UI render pass (load) and clears
  // the window around the last blit.
  void beginRenderPass(const Frame& f);
  // Ends the pass, submits and presents. With `capture`, also copies the presented image to
  // host memory (RGBA8, top row first) and waits for it. With `deferPresent` (frames that follow
  // one another at once: the view moves), this frame is presented by the next end(), before that
  // frame's submit, or by flush(): on a CPU driver, where the present first waits for the frame's
  // commands, lavapipe then renders it while the app records the next frame (docs/architecture.md
  // "The app loop").
  void end(const Frame& f, std::vector<uint8_t>* capture = nullptr, const std::vector<VulkanWait>& waits = {},
           bool deferPresent = false);
  // Presents the frame a deferred end() left, if any: before the app waits for events.
  void flush();
  // Frames with number <= this have finished on the GPU.
  uint64_t completedFrame() const { return completed_; }

  VkRenderPass renderPass() const { return renderPass_; }
  VkExtent2D extent() const { return extent_; }
  VkFormat format() const { return format_; }
  uint32_t imageCount() const { return static_cast<uint32_t>(images_.size()); }
  uint32_t minImageCount() const { return minImageCount_; }
  bool swapchainRecreated() { bool r = recreated_; recreated_ = false; return r; }
  // "swapchain" or "X11 MIT-SHM" (what `info`-style diagnostics and the benches record).
  const char* presentPath() const { return shmWanted_ ? "X11 MIT-SHM" : "swapchain"; }

 private:
  void createSwapchain();
  // The MIT-SHM path's window images and their host copies; false when MIT-SHM failed and the
  // swapchain is to be used from now on.
  bool createOwnImages();
  void createRenderPass(bool formatChanged);
  void createFramebuffers();  // views, framebuffers and present semaphores of images_
  // Copies a TRANSFER_SRC image whole into a host-visible buffer, made visible to the host.
  static void copyToBuffer(VkCommandBuffer cmd, VkImage image, VkBuffer buffer, VkExtent2D extent);
  void destroySwapchain();
  bool ready() const { return shmWanted_ ? !images_.empty() : swapchain_ != VK_NULL_HANDLE; }
  void recreate();
  // False when the swapchain is stale (out of date or suboptimal): then recreated if asked.
  bool present(uint32_t imageIndex, bool recreateIfStale);

  const VulkanContext& ctx_;
  Window& window_;
  VkSwapchainKHR swapchain_ = VK_NULL_HANDLE;
  VkFormat format_ = VK_FORMAT_UNDEFINED;
  float clear_[4] = {0, 0, 0, 1};  // this frame's background
  VkRect2D covered_{};             // what this frame's blit wrote
  VkExtent2D extent_{};
  uint32_t minImageCount_ = 2;
  std::vector<VkImage> images_;
  std::vector<VkImageView> views_;
  std::vector<VkFramebuffer> framebuffers_;
  std::vector<VkSemaphore> renderDone_;  // per swapchain image; none on the MIT-SHM path
  VkRenderPass renderPass_ = VK_NULL_HANDLE;
  std::array<VkCommandBuffer, kFramesInFlight> cmds_{};
  std::array<VkFence, kFramesInFlight> fences_{};
  std::array<VkSemaphore, kFramesInFlight> acquired_{};
  std::array<uint64_t, kFramesInFlight> slotFrame_{};
  uint64_t frameNumber_ = 0;
  uint64_t completed_ = 0;
  bool recreated_ = false;
  std::optional<uint32_t> pending_;  // the image whose present end() deferred
  uint32_t surfaceMinImages_ = 2;     // the surface's minImageCount
  // The MIT-SHM path (CPU driver, X11, FIELDSCOPE_PRESENT not "swapchain"): images_ are these,
  // one per frame slot; each frame is copied into its host buffer and from there into the segment.
  bool shmWanted_ = false;
  std::unique_ptr<X11ShmTarget> shm_;
  std::vector<std::unique_ptr<OffscreenImage>> ownImages_;
  std::vector<std::unique_ptr<GpuBuffer>> hostCopies_;
  VkImageLayout finalLayout_ = VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;  // the UI pass leaves the image so
};

}  // namespace fieldscope
