#include "render/imgui_layer.h"

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_vulkan.h>

#include <cstdio>

#include "cuda_interop/vk_check.h"

namespace fieldscope {

namespace {
void checkImGuiVk(VkResult r) {
  if (r < 0) std::fprintf(stderr, "fieldscope: ImGui Vulkan backend: %s\n", vkResultName(r));
}
}  // namespace

ImGuiLayer::ImGuiLayer(const VulkanContext& ctx, Window& window, Presenter& presenter, const std::string& iniPath)
    : ctx_(ctx), iniPath_(iniPath) {
  VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 16}};
  VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pi.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
  pi.maxSets = 16;
  pi.poolSizeCount = 1;
  pi.pPoolSizes = sizes;
  vkCheck(vkCreateDescriptorPool(ctx.device(), &pi, nullptr, &pool_), "vkCreateDescriptorPool (ImGui)");

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = iniPath_.empty() ? nullptr : iniPath_.c_str();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 4.0f;
  style.FrameRounding = 3.0f;

  ImGui_ImplGlfw_InitForVulkan(window.handle(), true);
  ImGui_ImplVulkan_InitInfo info{};
  info.Instance = ctx.instance();
  info.PhysicalDevice = ctx.physical();
  info.Device = ctx.device();
  info.QueueFamily = ctx.queueFamily();
  info.Queue = ctx.queue();
  info.DescriptorPool = pool_;
  info.MinImageCount = presenter.minImageCount();
  info.ImageCount = presenter.imageCount();
  info.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
  info.CheckVkResultFn = checkImGuiVk;
  ImGui_ImplVulkan_Init(&info, presenter.renderPass());
  ctx.submitAndWait([](VkCommandBuffer cmd) { ImGui_ImplVulkan_CreateFontsTexture(cmd); });
  ImGui_ImplVulkan_DestroyFontUploadObjects();
}

ImGuiLayer::~ImGuiLayer() {
  vkDeviceWaitIdle(ctx_.device());
  ImGui_ImplVulkan_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  vkDestroyDescriptorPool(ctx_.device(), pool_, nullptr);
}

void ImGuiLayer::newFrame() {
  ImGui_ImplVulkan_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void ImGuiLayer::render(VkCommandBuffer cmd) {
  ImGui::Render();
  ImGui_ImplVulkan_RenderDrawData(ImGui::GetDrawData(), cmd);
}

void ImGuiLayer::onSwapchainRecreated(uint32_t minImageCount) { ImGui_ImplVulkan_SetMinImageCount(minImageCount); }

}  // namespace fieldscope
