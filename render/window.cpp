#include "render/window.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include <cstdlib>
#include <stdexcept>

#include "cuda_interop/vk_check.h"

namespace fieldscope {

namespace {
std::string lastGlfwError() {
  const char* d = nullptr;
  glfwGetError(&d);
  return d ? d : "unknown GLFW error";
}
}  // namespace

Window::Window(const std::string& title, int width, int height) {
  if (!glfwInit()) {
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland))
      throw std::runtime_error("no display: the viewer needs a window (set DISPLAY, or run under xvfb-run); "
                               "headless commands (selftest, sample, ...) work without one");
    throw std::runtime_error("cannot open a window: " + lastGlfwError());
  }
  if (!glfwVulkanSupported()) {
    glfwTerminate();
    throw std::runtime_error("GLFW found no Vulkan loader (install libvulkan1 and a Vulkan driver, e.g. mesa-vulkan-drivers)");
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
  window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!window_) {
    std::string e = lastGlfwError();
    glfwTerminate();
    throw std::runtime_error("cannot create the window: " + e);
  }
  glfwSetWindowUserPointer(window_, this);
  glfwSetDropCallback(window_, &Window::onDrop);
}

Window::~Window() {
  glfwDestroyWindow(window_);
  glfwTerminate();
}

std::vector<const char*> Window::requiredExtensions() {
  uint32_t n = 0;
  const char** e = glfwGetRequiredInstanceExtensions(&n);
  if (!e) throw std::runtime_error("GLFW cannot present with Vulkan on this display");
  return {e, e + n};
}

VkSurfaceKHR Window::createSurface(VkInstance instance) const {
  VkSurfaceKHR s = VK_NULL_HANDLE;
  vkCheck(glfwCreateWindowSurface(instance, window_, nullptr, &s), "glfwCreateWindowSurface");
  return s;
}

bool Window::shouldClose() const { return glfwWindowShouldClose(window_); }

void Window::framebufferSize(int& w, int& h) const { glfwGetFramebufferSize(window_, &w, &h); }

bool Window::minimised() const {
  int w = 0, h = 0;
  framebufferSize(w, h);
  return w == 0 || h == 0 || glfwGetWindowAttrib(window_, GLFW_ICONIFIED);
}

void Window::onDrop(GLFWwindow* w, int count, const char** paths) {
  auto* self = static_cast<Window*>(glfwGetWindowUserPointer(w));
  for (int i = 0; i < count; ++i) self->dropped_.emplace_back(paths[i]);
}

std::vector<std::string> Window::takeDroppedFiles() {
  std::vector<std::string> out;
  out.swap(dropped_);
  return out;
}

}  // namespace fieldscope
