#include <imgui.h>

#include "app/panels/dialog_keys.h"
#include "app/panels/ui_state.h"

namespace fieldscope {

void drawAboutDialog(UiState& s) {
  if (s.showAbout) {
    ImGui::OpenPopup("About Fieldscope");
    s.showAbout = false;
  }
  if (ImGui::BeginPopupModal("About Fieldscope", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("Fieldscope 0.1.0 - a studio for generative neural fields");
    ImGui::Separator();
    ImGui::Text("Vulkan device: %s", s.deviceName.c_str());
    ImGui::Text("Vulkan API:    %s", s.vulkanApi.c_str());
    ImGui::Text("Shared memory: %s", s.backendName.c_str());
    ImGui::Text("LibTorch:      %s", s.torchVersion.c_str());
    ImGui::Text("Dear ImGui:    %s", s.imguiVersion.c_str());
    ImGui::Text("Field:         %s", s.sourceName.c_str());
    if (ImGui::Button("Close", ImVec2(120, 0)) || dialogEscPressed() || dialogEnterPressed()) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

}  // namespace fieldscope
