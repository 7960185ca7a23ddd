#pragma once
// DomainView: what the app shows for one opened document -- its panels, its viewport input,
// its render into the viewport image, the waits its frame needs, whether it has converged,
// its status line (errors included), its part of the session (opaque JSON) and its exports.
// The app is a short loop over such elements (docs/architecture.md "Domain views").
#include <vulkan/vulkan.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cuda_interop/vulkan_device_ref.h"
#include "render/direct_copy.h"

namespace fieldscope {

class OffscreenImage;
class VulkanContext;
struct ComputeOptions;
struct ExportProgress;

// What the app lends a view.
struct ViewServices {
  const VulkanContext& ctx;
  const ComputeOptions& compute;
  int tileCacheSlots = 160;  // the tile budget chosen in Settings
  bool naiveDecode = false;  // bench baseline: no tiles, whole views
  // Called from a view's decode thread when decoded work lands, so that a frame loop asleep
  // until its next event shows it at once (the window's app: glfwPostEmptyEvent). May be empty.
  std::function<void()> wake;
};

// Viewport input of one frame, in viewport pixels; produced by the viewport panel or a script.
struct ViewportInput {
  int width = 1, height = 1;
  bool hovered = false;
  double mouseX = 0, mouseY = 0;
  double originX = 0, originY = 0;  // the viewport's top-left corner on the screen (ImGui pixels)
  bool leftHeld = false;            // the left button was pressed on the viewport and is still down
  double now = 0;               // seconds
  double wheel = 0;             // notches (+: in)
  double dragX = 0, dragY = 0;  // left-button drag this frame
  double panDragX = 0, panDragY = 0;  // right- or middle-button drag, or shift + left drag (pan)
  bool clicked = false;         // a click, not a drag; at (mouseX, mouseY)
  bool doubleClicked = false;
  bool zoomInKey = false, zoomOutKey = false, resetKey = false;
  bool frameKey = false;         // F: frame the object (3D views)
  int panKeyX = 0, panKeyY = 0;  // -1, 0, +1 (arrows)
  double scriptedZoom = 1.0;     // zoom about the centre by this factor (benchmarks)
  double scriptedPanX = 0, scriptedPanY = 0;
  bool any() const {
    return wheel != 0 || dragX != 0 || dragY != 0 || panDragX != 0 || panDragY != 0 || clicked || doubleClicked ||
           zoomInKey || zoomOutKey || resetKey || frameKey ||
           panKeyX != 0 || panKeyY != 0 || scriptedZoom != 1.0 || scriptedPanX != 0 || scriptedPanY != 0;
  }
};

// One frame's recording context.
struct FrameContext {
  VkCommandBuffer cmd = VK_NULL_HANDLE;
  OffscreenImage* target = nullptr;  // the viewport image (its size is the viewport's)
  uint64_t frame = 0;                // frames are numbered from 1
  uint64_t completedFrame = 0;       // frames <= this finished on the GPU
  int slot = 0;                      // frames-in-flight index
  bool still = false;                // no input for a moment: ask for the exact result
  double focusX = 0, focusY = 0;     // where the user looks (cursor), viewport pixels
  // The app can put an image of the view's own on the screen (DomainView::shownImage) instead
  // of the target; headless callers that read the target leave this false.
  bool mayShowOwnImage = false;
  // The swapchain image when the view may copy its pixels straight into it instead of into
  // `target` (the app then skips its blit; Presenter::acceptsDirectCopies). A view that did sets
  // *directDrawn. No image: draw into `target` (headless callers, 3D views).
  DirectCopy direct;
  bool* directDrawn = nullptr;
};

// An image of a view's own whose top-left width x height the app stretches over the viewport.
struct ShownImage {
  OffscreenImage* image = nullptr;
  int width = 0, height = 0;
};

// One export a view offers: "png" / "obj" / "mp4"...
struct ExportKind {
  std::string id;         // "png"
  std::string label;      // "PNG image"
  std::string extension;  // ".png"
  bool fixedSize = false;  // the export has its own size (the label says it): the dialog asks none
  // > 0: the view shows a whole picture (image coordinates [0,1]^2) of this height / width; the
  // dialog then exports the whole picture by default, or the current view on request.
  double pictureAspect = 0;
};

struct ExportRequest {
  std::string kind;  // an ExportKind id
  std::string path;
  int width = 0, height = 0;
  bool wholePicture = false;  // the whole picture ([0,1]^2), not the current view (pictureAspect > 0)
};

// Progress numbers a benchmark or test reads.
struct ViewProgress {
  bool detailComplete = false;  // every visible piece decoded at the target detail
  bool converged = false;       // the exact result is on screen (or nothing more will come)
  uint64_t decodedUnits = 0;    // tiles, bakes... decoded so far
  double gpuPassMs = -1;        // the view's last GPU pass (timestamp query); -1: unknown
};

class DomainView {
 public:
  virtual ~DomainView() = default;
  // "emoji-image.fsm - seed 3"
  virtual std::string title() const = 0;
  // The view's ImGui panels (Sample panel...). `openFile` receives a path the panels ask to open.
  virtual void drawPanels(std::string& openFile) = 0;
  // Perf panel lines (tiles, cache...), ImGui.
  virtual void drawPerf() {}
  // Named numbers for benchmarks and scripted tests (the 3D view's reduced resolution...).
  virtual std::vector<std::pair<std::string, double>> perfNumbers() const { return {}; }
  // What the view holds in memory against its budget: "in use: 4.2 of 40.0 MB (17 of 160 tiles decoded)".
  virtual std::string memoryLine() const { return {}; }
  virtual void input(const ViewportInput& in) = 0;
  // Per frame, before record(): the viewport size and the time.
  virtual void update(int width, int height, double now) = 0;
  virtual void record(const FrameContext& frame) = 0;
  // After record() of a frame with mayShowOwnImage: the image to show for it, stretched over
  // the viewport (the target was left unwritten); empty: the frame is in the target.
  virtual ShownImage shownImage() const { return {}; }
  // What the frame's submit waits on (timeline semaphores of shared memory).
  virtual std::vector<VulkanWait> waits() const = 0;
  // Input is being animated (smooth zoom): the app keeps drawing at full rate.
  virtual bool animating() const { return false; }
  // The last frame showed the same view as the one before, and what is still to come for it
  // (the exact view) wakes the frame loop when it lands: more frames right after an input bring
  // nothing, so the loop sleeps and leaves the CPU to the decoder (docs/architecture.md "The app loop").
  virtual bool settled() const { return false; }
  // Pixels of a bar the view draws right above the status bar, across the window (the video
  // timeline): the viewport ends above it.
  virtual float bottomBarHeight() const { return 0.f; }
  virtual ViewProgress progress() const = 0;
  // The status line; errors are part of it.
  virtual std::string status() const = 0;
  // An error not yet shown in a dialog (a failed user action), once; else empty.
  virtual std::string takeError() { return {}; }
  // The view's part of the session. restoreState throws std::runtime_error naming the entry.
  virtual nlohmann::json saveState() const = 0;
  virtual void restoreState(const nlohmann::json& state) = 0;
  // Exports this view offers; startExport runs one in the background (throws for a bad request).
  virtual std::vector<ExportKind> exports() const { return {}; }
  virtual double exportAspect() const { return 1.0; }  // height / width of a default export
  virtual std::shared_ptr<ExportProgress> startExport(const ExportRequest& request) = 0;
  // A new tile budget (Settings); throws keeping the old one when it cannot be had.
  virtual void setTileCacheSlots(int slots) { (void)slots; }
  // Resource line for the status bar: "host-mapped (CPU)".
  virtual std::string backendName() const = 0;
};

}  // namespace fieldscope
