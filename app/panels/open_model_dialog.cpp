#include <imgui.h>

#include <cstring>

#include "app/panels/dialog_keys.h"
#include "app/panels/ui_state.h"

namespace fieldscope {

// File > Open...: a path field for a model or a picture (a file can also be dropped onto the window).
void drawOpenModelDialog(UiState& s) {
  static constexpr const char* kTitle = "Open";
  if (s.openModelRequested) {
    ImGui::OpenPopup(kTitle);
    s.openModelRequested = false;
  }
  ImGui::SetNextWindowSize(ImVec2(560, 0), ImGuiCond_Appearing);
  if (ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted("Model file (.fsm) or a PNG/JPEG picture to super-resolve; or drop it on the window:");
    ImGui::SetNextItemWidth(540);
    const bool enter = ImGui::InputText("##path", s.openModelInput, sizeof(s.openModelInput), ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button("Open", ImVec2(120, 0)) || enter) {
      s.openModelPath = s.openModelInput;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120, 0)) || dialogEscPressed()) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

}  // namespace fieldscope
