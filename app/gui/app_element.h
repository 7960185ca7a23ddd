#pragma once
// AppElement: one piece of the app loop that is not a domain view -- the scripted inputs of
// tests and benchmarks, the screenshot, the window self-test (docs/architecture.md "The app
// loop"). GuiApp calls every element at fixed points of each frame; elements reach the app
// only through AppHost, so they stay out of the loop's code (nvpro_core2's application
// elements are the model).
#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace fieldscope {

class DomainView;
class VulkanContext;
class Window;
struct UiState;
struct ViewportInput;
struct ViewportRect;
struct ViewServices;

class AppHost {
 public:
  virtual ~AppHost() = default;
  virtual UiState& ui() = 0;
  virtual DomainView* view() = 0;  // the active view (never null while the loop runs)
  virtual void setView(std::unique_ptr<DomainView> view) = 0;
  virtual ViewServices& viewServices() = 0;
  virtual const VulkanContext& context() const = 0;
  virtual Window& window() = 0;
  virtual VkExtent2D windowExtent() const = 0;
  // How frames reach the window: "swapchain" or "X11 MIT-SHM" (Presenter::presentPath).
  virtual const char* presentPath() const = 0;
  virtual const ViewportRect& viewportRect() const = 0;
  virtual int framesDrawn() const = 0;
  virtual double now() const = 0;  // seconds
  // A file is being opened (its view is not on screen yet).
  virtual bool loading() const = 0;
  // Ends the loop after this frame with this exit status.
  virtual void exit(int code) = 0;
};

class AppElement {
 public:
  virtual ~AppElement() = default;
  // Once, before the first frame (e.g. put a view in place).
  virtual void attach(AppHost& app) { (void)app; }
  // Before the panels are drawn: GUI actions (open a dialog, type into it).
  virtual void beforeUi(AppHost& app) { (void)app; }
  // After the panels, before the view takes this frame's input: scripted viewport input.
  virtual void beforeViewInput(AppHost& app, ViewportInput& input) { (void)app, (void)input; }
  // Should this frame's window pixels be read back for this element?
  virtual bool wantsCapture(AppHost& app) { return (void)app, false; }
  // After the frame; `capture`: the window's RGBA pixels when asked for, else null.
  virtual void afterFrame(AppHost& app, double frameMs, const std::vector<uint8_t>* capture) {
    (void)app, (void)frameMs, (void)capture;
  }
  // True while the element needs frames at full rate (no waiting for events).
  virtual bool drivesFrames() const { return false; }
};

}  // namespace fieldscope
