#include "render/presenter.h"
#include "render/timeline_waits.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "render/gpu_buffer.h"
#include "render/offscreen_image.h"
#include "render/x11_shm_target.h"
#include "cuda_interop/vk_check.h"

namespace fieldscope {

Presenter::Presenter(const VulkanContext& ctx, Window& window) : ctx_(ctx), window_(window) {
  VkDevice dev = ctx.device();
  VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  ai.commandPool = ctx.commandPool();
  ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  ai.commandBufferCount = kFramesInFlight;
  vkCheck(vkAllocateCommandBuffers(dev, &ai, cmds_.data()), "vkAllocateCommandBuffers");
  for (int i = 0; i < kFramesInFlight; ++i) {
    VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    fi.flags = VK_FENCE_CREATE_SIGNALED_BIT;
    vkCheck(vkCreateFence(dev, &fi, nullptr, &fences_[i]), "vkCreateFence");
    VkSemaphoreCreateInfo si{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    vkCheck(vkCreateSemaphore(dev, &si, nullptr, &acquired_[i]), "vkCreateSemaphore");
  }
  // A CPU driver's swapchain on an X server without DRI3 sends every frame through the X socket;
  // where the server shares memory the presenter shows its own images through MIT-SHM instead.
  // FIELDSCOPE_PRESENT=swapchain keeps the swapchain; =shm asks for MIT-SHM on any device.
  const char* env = std::getenv("FIELDSCOPE_PRESENT");
  const std::string mode = env ? env : "";
  if (mode == "shm" || (mode != "swapchain" && ctx.cpuDevice())) {
    int w = 0, h = 0;
    window_.framebufferSize(w, h);
    std::string why;
    shm_ = X11ShmTarget::open(window_.handle(), std::max(w, 1), std::max(h, 1), why);
    shmWanted_ = shm_ != nullptr;
    if (!shmWanted_ && mode == "shm")
      std::fprintf(stderr, "fieldscope: FIELDSCOPE_PRESENT=shm: %s; presenting through the swapchain\n", why.c_str());
  }
  createSwapchain();
}

Presenter::~Presenter() {
  VkDevice dev = ctx_.device();
  try {
    if (pending_) present(*std::exchange(pending_, std::nullopt), false);  // closing: no new swapchain
  } catch (const std::exception&) {  // a present that fails now shows nothing anyway
  }
  vkDeviceWaitIdle(dev);
  destroySwapchain();
  if (renderPass_) vkDestroyRenderPass(dev, renderPass_, nullptr);
  for (int i = 0; i < kFramesInFlight; ++i) {
    vkDestroyFence(dev, fences_[i], nullptr);
    vkDestroySemaphore(dev, acquired_[i], nullptr);
  }
  vkFreeCommandBuffers(dev, ctx_.commandPool(), kFramesInFlight, cmds_.data());
}

void Presenter::createSwapchain() {
  if (shmWanted_ && createOwnImages()) return;
  VkPhysicalDevice phys = ctx_.physical();
  VkSurfaceKHR surface = ctx_.surface();
  VkDevice dev = ctx_.device();
  VkSurfaceCapabilitiesKHR caps;
  vkCheck(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(phys, surface, &caps), "vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
  uint32_t n = 0;
  vkGetPhysicalDeviceSurfaceFormatsKHR(phys, surface, &n, nullptr);
  std::vector<VkSurfaceFormatKHR> formats(n);
  vkGetPhysicalDeviceSurfaceFormatsKHR(phys, surface, &n, formats.data());
  // UNORM: ImGui's colours and our RGBA8 viewport are already display-encoded.
  VkSurfaceFormatKHR chosen = formats.at(0);
  for (auto f : formats)
    if ((f.format == VK_FORMAT_B8G8R8A8_UNORM || f.format == VK_FORMAT_R8G8B8A8_UNORM) &&
        f.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) {
      chosen = f;
      break;
    }
  const bool formatChanged = format_ != chosen.format;
  format_ = chosen.format;
  int w = 0, h = 0;
  window_.framebufferSize(w, h);
  if (caps.currentExtent.width != UINT32_MAX)
    extent_ = caps.currentExtent;
  else
    extent_ = {std::clamp(uint32_t(w), caps.minImageExtent.width, caps.maxImageExtent.width),
               std::clamp(uint32_t(h), caps.minImageExtent.height, caps.maxImageExtent.height)};
  if (extent_.width == 0 || extent_.height == 0) return;  // minimised: no swapchain for now
  minImageCount_ = std::max(2u, caps.minImageCount);
  surfaceMinImages_ = caps.minImageCount;
  uint32_t imageCount = caps.minImageCount + 1;
  if (caps.maxImageCount) imageCount = std::min(imageCount, caps.maxImageCount);
  VkImageUsageFlags usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  if (caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT) usage |= VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  if (!(caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_DST_BIT))
    throw std::runtime_error("the window surface does not accept transfers (needed to show the viewport)");

  VkSwapchainCreateInfoKHR ci{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
  ci.surface = surface;
  ci.minImageCount = imageCount;
  ci.imageFormat = chosen.format;
  ci.imageColorSpace = chosen.colorSpace;
  ci.imageExtent = extent_;
  ci.imageArrayLayers = 1;
  ci.imageUsage = usage;
  ci.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
  ci.preTransform = caps.currentTransform;
  ci.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
  ci.presentMode = VK_PRESENT_MODE_FIFO_KHR;
  ci.clipped = VK_TRUE;
  vkCheck(vkCreateSwapchainKHR(dev, &ci, nullptr, &swapchain_), "vkCreateSwapchainKHR");
  vkGetSwapchainImagesKHR(dev, swapchain_, &n, nullptr);
  images_.resize(n);
  vkGetSwapchainImagesKHR(dev, swapchain_, &n, images_.data());

  createRenderPass(formatChanged);
  createFramebuffers();
}

void Presenter::createFramebuffers() {
  VkDevice dev = ctx_.device();
  for (VkImage img : images_) {
    VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    vi.image = img;
    vi.viewType = VK_IMAGE_VIEW_TYPE_2D;
    vi.format = format_;
    vi.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    VkImageView v;
    vkCheck(vkCreateImageView(dev, &vi, nullptr, &v), "vkCreateImageView (swapchain)");
    views_.push_back(v);
    VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    fi.renderPass = renderPass_;
    fi.attachmentCount = 1;
    fi.pAttachments = &v;
    fi.width = extent_.width;
    fi.height = extent_.height;
    fi.layers = 1;
    VkFramebuffer fb;
    vkCheck(vkCreateFramebuffer(dev, &fi, nullptr, &fb), "vkCreateFramebuffer");
    framebuffers_.push_back(fb);
    if (shm_) continue;  // own images are shown after their fence, not through a present's wait
    VkSemaphoreCreateInfo si{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    VkSemaphore s;
    vkCheck(vkCreateSemaphore(dev, &si, nullptr, &s), "vkCreateSemaphore");
    renderDone_.push_back(s);
  }
}

bool Presenter::createOwnImages() {
  int w = 0, h = 0;
  window_.framebufferSize(w, h);
  if (w <= 0 || h <= 0) return true;  // minimised: nothing for now
  if (!shm_ || shm_->width() != w || shm_->height() != h) {
    shm_.reset();
    std::string why;
    shm_ = X11ShmTarget::open(window_.handle(), w, h, why);
    if (!shm_) {  // e.g. no shared memory left for the new size: the swapchain takes over
      std::fprintf(stderr, "fieldscope: cannot show frames through X11 MIT-SHM (%s); using the swapchain\n",
                   why.c_str());
      shmWanted_ = false;
      finalLayout_ = VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;
      format_ = VK_FORMAT_UNDEFINED;  // the render pass is made again for the swapchain's layout
      return false;
    }
  }
  const bool formatChanged = format_ != VK_FORMAT_B8G8R8A8_UNORM;
  format_ = VK_FORMAT_B8G8R8A8_UNORM;  // byte for byte the server's 32-bit BGRX (X11ShmTarget)
  finalLayout_ = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;  // copied to host memory after the UI pass
  extent_ = {uint32_t(w), uint32_t(h)};
  minImageCount_ = 2;
  surfaceMinImages_ = 1;  // no acquire waits for an image: end() may defer a present (one image in hand)
  for (int i = 0; i < kFramesInFlight; ++i) {
    ownImages_.push_back(std::make_unique<OffscreenImage>(ctx_, extent_.width, extent_.height, format_,
                                                          VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT));
    hostCopies_.push_back(
        std::make_unique<GpuBuffer>(ctx_, VkDeviceSize(w) * h * 4, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true));
    images_.push_back(ownImages_.back()->image());
  }
  createRenderPass(formatChanged);
  createFramebuffers();
  return true;
}

void Presenter::createRenderPass(bool formatChanged) {
  if (renderPass_ && !formatChanged) return;
  VkDevice dev = ctx_.device();
  if (renderPass_) vkDestroyRenderPass(dev, renderPass_, nullptr);
  VkAttachmentDescription a{};
  a.format = format_;
  a.samples = VK_SAMPLE_COUNT_1_BIT;
  a.loadOp = VK_ATTACHMENT_LOAD_OP_LOAD;  // the viewport was blitted in before the UI
  a.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
  a.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
  a.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
  a.initialLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  a.finalLayout = finalLayout_;
  VkAttachmentReference ref{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
  VkSubpassDescription sub{};
  sub.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
  sub.colorAttachmentCount = 1;
  sub.pColorAttachments = &ref;
  VkSubpassDependency dep{};
  dep.srcSubpass = VK_SUBPASS_EXTERNAL;
  dep.dstSubpass = 0;
  dep.srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
  dep.dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  dep.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  dep.dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
  // MIT-SHM: the pass ends in TRANSFER_SRC and the image is copied to host memory next.
  VkSubpassDependency out{};
  out.srcSubpass = 0;
  out.dstSubpass = VK_SUBPASS_EXTERNAL;
  out.srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  out.dstStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT;
  out.srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
  out.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  const VkSubpassDependency deps[2] = {dep, out};
  VkRenderPassCreateInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
  rp.attachmentCount = 1;
  rp.pAttachments = &a;
  rp.subpassCount = 1;
  rp.pSubpasses = &sub;
  rp.dependencyCount = finalLayout_ == VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL ? 2 : 1;
  rp.pDependencies = deps;
  vkCheck(vkCreateRenderPass(dev, &rp, nullptr, &renderPass_), "vkCreateRenderPass");
}

void Presenter::destroySwapchain() {
  VkDevice dev = ctx_.device();
  for (auto fb : framebuffers_) vkDestroyFramebuffer(dev, fb, nullptr);
  for (auto v : views_) vkDestroyImageView(dev, v, nullptr);
  for (auto s : renderDone_) vkDestroySemaphore(dev, s, nullptr);
  framebuffers_.clear();
  views_.clear();
  renderDone_.clear();
  images_.clear();
  ownImages_.clear();
  hostCopies_.clear();
  if (swapchain_) vkDestroySwapchainKHR(dev, swapchain_, nullptr);
  swapchain_ = VK_NULL_HANDLE;
}

void Presenter::recreate() {
  vkDeviceWaitIdle(ctx_.device());
  pending_.reset();  // its image goes with the old swapchain (the next frame shows what it would)
  completed_ = frameNumber_;
  destroySwapchain();
  createSwapchain();
  recreated_ = true;
}

std::optional<Presenter::Frame> Presenter::begin(const float clear[4]) {
  if (window_.minimised()) return std::nullopt;
  if (!ready()) {
    recreate();
    if (!ready()) return std::nullopt;
  }
  int w = 0, h = 0;
  window_.framebufferSize(w, h);
  if (uint32_t(w) != extent_.width || uint32_t(h) != extent_.height) {
    recreate();
    if (!ready()) return std::nullopt;
  }
  const int slot = static_cast<int>(frameNumber_ % kFramesInFlight);
  VkDevice dev = ctx_.device();
  vkCheck(vkWaitForFences(dev, 1, &fences_[slot], VK_TRUE, UINT64_MAX), "vkWaitForFences");
  completed_ = std::max(completed_, slotFrame_[slot]);
  uint32_t index = uint32_t(slot);  // MIT-SHM: each slot has its own image
  if (!shm_) {
    VkResult r = vkAcquireNextImageKHR(dev, swapchain_, UINT64_MAX, acquired_[slot], VK_NULL_HANDLE, &index);
    if (r == VK_ERROR_OUT_OF_DATE_KHR) {
      recreate();
      return std::nullopt;
    }
    if (r != VK_SUBOPTIMAL_KHR) vkCheck(r, "vkAcquireNextImageKHR");
  }
  vkResetFences(dev, 1, &fences_[slot]);
  Frame f{cmds_[slot], index, slot, ++frameNumber_, images_[index]};
  slotFrame_[slot] = f.number;
  vkResetCommandBuffer(f.cmd, 0);
  VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  vkBeginCommandBuffer(f.cmd, &bi);
  imageBarrier(f.cmd, f.image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL);
  // Cleared in beginRenderPass, around what the blits cover: on a CPU driver a whole-window
  // clear under the viewport costs a pass over every pixel for nothing.
  std::memcpy(clear_, clear, sizeof(clear_));
  covered_ = VkRect2D{};
  return f;
}

void Presenter::blit(const Frame& f, OffscreenImage& source, int x, int y) {
  const int w = std::min<int>(source.width(), int(extent_.width) - x);
  const int h = std::min<int>(source.height(), int(extent_.height) - y);
  if (w <= 0 || h <= 0 || x < 0 || y < 0) return;
  source.transition(f.cmd, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
  VkImageBlit b{};
  b.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  b.srcOffsets[1] = {w, h, 1};
  b.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  b.dstOffsets[0] = {x, y, 0};
  b.dstOffsets[1] = {x + w, y + h, 1};
  vkCmdBlitImage(f.cmd, source.image(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, f.image,
                 VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &b, VK_FILTER_NEAREST);
  covered_ = VkRect2D{{x, y}, {uint32_t(w), uint32_t(h)}};
}

void Presenter::blitStretched(const Frame& f, OffscreenImage& source, int sourceWidth, int sourceHeight, int x,
                              int y, int width, int height) {
  sourceWidth = std::min<int>(sourceWidth, source.width());
  sourceHeight = std::min<int>(sourceHeight, source.height());
  if (sourceWidth <= 0 || sourceHeight <= 0 || width <= 0 || height <= 0 || x < 0 || y < 0) return;
  // Clipped to the window: the source shrinks in proportion.
  const int w = std::min(width, int(extent_.width) - x), h = std::min(height, int(extent_.height) - y);
  if (w <= 0 || h <= 0) return;
  const int sw = std::max(1, int(std::lround(double(sourceWidth) * w / width)));
  const int sh = std::max(1, int(std::lround(double(sourceHeight) * h / height)));
  source.transition(f.cmd, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
  VkImageBlit b{};
  b.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  b.srcOffsets[1] = {sw, sh, 1};
  b.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  b.dstOffsets[0] = {x, y, 0};
  b.dstOffsets[1] = {x + w, y + h, 1};
  const bool same = sw == w && sh == h;
  vkCmdBlitImage(f.cmd, source.image(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, f.image,
                 VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &b, same ? VK_FILTER_NEAREST : VK_FILTER_LINEAR);
  covered_ = VkRect2D{{x, y}, {uint32_t(w), uint32_t(h)}};
}

void Presenter::coverDirect(int x, int y, int width, int height) {
  const int w = std::min(width, int(extent_.width) - x), h = std::min(height, int(extent_.height) - y);
  covered_ = w > 0 && h > 0 && x >= 0 && y >= 0 ? VkRect2D{{x, y}, {uint32_t(w), uint32_t(h)}} : VkRect2D{};
}

void Presenter::beginRenderPass(const Frame& f) {
  imageBarrier(f.cmd, f.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL);
  VkRenderPassBeginInfo rb{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
  rb.renderPass = renderPass_;
  rb.framebuffer = framebuffers_[f.imageIndex];
  rb.renderArea.extent = extent_;
  vkCmdBeginRenderPass(f.cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
  // The background: the window less the blitted rectangle (at most four strips).
  const int W = int(extent_.width), H = int(extent_.height);
  const int x0 = covered_.offset.x, y0 = covered_.offset.y;
  const int x1 = x0 + int(covered_.extent.width), y1 = y0 + int(covered_.extent.height);
  std::vector<VkClearRect> strips;
  auto strip = [&](int ax, int ay, int bx, int by) {
    if (bx > ax && by > ay) strips.push_back({{{ax, ay}, {uint32_t(bx - ax), uint32_t(by - ay)}}, 0, 1});
  };
  if (covered_.extent.width == 0 || covered_.extent.height == 0) {
    strip(0, 0, W, H);
  } else {
    strip(0, 0, W, y0);          // above
    strip(0, y1, W, H);          // below
    strip(0, y0, x0, y1);        // left
    strip(x1, y0, W, y1);        // right
  }
  if (!strips.empty()) {
    VkClearAttachment a{};
    a.aspectMask = VK_IMAGE_ASPECT_COLOR_BIT;
    a.colorAttachment = 0;
    std::memcpy(a.clearValue.color.float32, clear_, sizeof(clear_));
    vkCmdClearAttachments(f.cmd, 1, &a, uint32_t(strips.size()), strips.data());
  }
}

void Presenter::end(const Frame& f, std::vector<uint8_t>* capture, const std::vector<VulkanWait>& waits,
                    bool deferPresent) {
  vkCmdEndRenderPass(f.cmd);
  std::unique_ptr<GpuBuffer> staging;
  if (capture) {
    staging = std::make_unique<GpuBuffer>(ctx_, VkDeviceSize(extent_.width) * extent_.height * 4,
                                          VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
    if (finalLayout_ != VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL)
      imageBarrier(f.cmd, f.image, finalLayout_, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
    copyToBuffer(f.cmd, f.image, staging->buffer(), extent_);
    if (finalLayout_ != VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL)
      imageBarrier(f.cmd, f.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, finalLayout_);
  }
  if (shm_) copyToBuffer(f.cmd, f.image, hostCopies_[f.imageIndex]->buffer(), extent_);
  vkEndCommandBuffer(f.cmd);
  VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  TimelineWaits tw;
  if (!shm_)
    tw.addBinary(acquired_[f.slot], VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT);
  // Shared tensors torch wrote on a CUDA stream: the compute pass reads them.
  tw.add(waits, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT);
  tw.apply(si);
  si.commandBufferCount = 1;
  si.pCommandBuffers = &f.cmd;
  si.signalSemaphoreCount = shm_ ? 0 : 1;
  si.pSignalSemaphores = shm_ ? nullptr : &renderDone_[f.imageIndex];
  // The frame before, when its present was deferred: lavapipe rendered it while this one was
  // recorded. Presented before this frame's submit, or its copy to the window system would queue
  // behind this frame's commands. A stale swapchain is replaced by this frame's own present.
  bool stale = false;
  if (pending_) stale = !present(*std::exchange(pending_, std::nullopt), false);
  vkCheck(vkQueueSubmit(ctx_.queue(), 1, &si, fences_[f.slot]), "vkQueueSubmit");
  if (capture) {
    vkCheck(vkWaitForFences(ctx_.device(), 1, &fences_[f.slot], VK_TRUE, UINT64_MAX), "vkWaitForFences");
    const size_t px = size_t(extent_.width) * extent_.height;
    capture->resize(px * 4);
    const auto* src = static_cast<const uint8_t*>(staging->mapped());
    const bool bgra = format_ == VK_FORMAT_B8G8R8A8_UNORM || format_ == VK_FORMAT_B8G8R8A8_SRGB;
    for (size_t i = 0; i < px; ++i) {
      (*capture)[i * 4 + 0] = src[i * 4 + (bgra ? 2 : 0)];
      (*capture)[i * 4 + 1] = src[i * 4 + 1];
      (*capture)[i * 4 + 2] = src[i * 4 + (bgra ? 0 : 2)];
      (*capture)[i * 4 + 3] = 255;
    }
  }
  // Deferred only on a CPU device (a GPU's present does not wait on this thread), and only with
  // an image to spare: holding one unpresented, the next acquire must not wait for it.
  if (deferPresent && !capture && !stale && ctx_.cpuDevice() && images_.size() > surfaceMinImages_) {
    pending_ = f.imageIndex;
    return;
  }
  present(f.imageIndex, true);
}

bool Presenter::present(uint32_t imageIndex, bool recreateIfStale) {
  if (shm_) {
    // The image's slot is its index: wait for that frame's commands, then hand its pixels over.
    vkCheck(vkWaitForFences(ctx_.device(), 1, &fences_[imageIndex], VK_TRUE, UINT64_MAX), "vkWaitForFences");
    std::memcpy(shm_->pixels(), hostCopies_[imageIndex]->mapped(), size_t(extent_.width) * extent_.height * 4);
    shm_->put();
    return true;
  }
  VkPresentInfoKHR pi{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
  pi.waitSemaphoreCount = 1;
  pi.pWaitSemaphores = &renderDone_[imageIndex];
  pi.swapchainCount = 1;
  pi.pSwapchains = &swapchain_;
  pi.pImageIndices = &imageIndex;
  VkResult r = vkQueuePresentKHR(ctx_.queue(), &pi);
  if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) {
    if (recreateIfStale) recreate();
    return false;
  }
  vkCheck(r, "vkQueuePresentKHR");
  return true;
}

void Presenter::copyToBuffer(VkCommandBuffer cmd, VkImage image, VkBuffer buffer, VkExtent2D extent) {
  VkBufferImageCopy c{};
  c.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  c.imageExtent = {extent.width, extent.height, 1};
  vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, buffer, 1, &c);
  VkBufferMemoryBarrier b{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};  // read on the host after the fence
  b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  b.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
  b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.buffer = buffer;
  b.size = VK_WHOLE_SIZE;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 1, &b, 0,
                       nullptr);
}

void Presenter::flush() {
  if (pending_) present(*std::exchange(pending_, std::nullopt), true);
}

}  // namespace fieldscope
