#pragma once
// Dear ImGui (libimgui-dev 1.86) on GLFW + Vulkan, drawing into the Presenter's render pass.
#include <vulkan/vulkan.h>

#include <string>

#include "render/context.h"
#include "render/presenter.h"
#include "render/window.h"

namespace fieldscope {

class ImGuiLayer {
 public:
  // iniPath: where the window layout persists ("" = not saved).
  ImGuiLayer(const VulkanContext& ctx, Window& window, Presenter& presenter, const std::string& iniPath);
  ~ImGuiLayer();
  ImGuiLayer(const ImGuiLayer&) = delete;
  ImGuiLayer& operator=(const ImGuiLayer&) = delete;

  void newFrame();
  // ImGui::Render() and the draw commands, inside the presenter's render pass.
  void render(VkCommandBuffer cmd);
  void onSwapchainRecreated(uint32_t minImageCount);

 private:
  const VulkanContext& ctx_;
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
  std::string iniPath_;
};

}  // namespace fieldscope
