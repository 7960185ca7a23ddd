#pragma once
// A GLFW window with a Vulkan surface. Throws a clear error when there is no display.
#include <vulkan/vulkan.h>

#include <string>
#include <vector>

struct GLFWwindow;

namespace fieldscope {

class Window {
 public:
  Window(const std::string& title, int width, int height);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  GLFWwindow* handle() const { return window_; }
  // Instance extensions the surface needs.
  static std::vector<const char*> requiredExtensions();
  VkSurfaceKHR createSurface(VkInstance instance) const;
  bool shouldClose() const;
  void framebufferSize(int& w, int& h) const;
  bool minimised() const;
  // Files dropped onto the window since the last call.
  std::vector<std::string> takeDroppedFiles();

 private:
  static void onDrop(GLFWwindow* w, int count, const char** paths);
  GLFWwindow* window_ = nullptr;
  std::vector<std::string> dropped_;
};

}  // namespace fieldscope
