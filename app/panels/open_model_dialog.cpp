#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <string>

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
    bool chosen = false;
    const std::string picked = drawFileBrowser(s.openBrowser, {".fsm", ".png", ".jpg", ".jpeg"}, 220.0f, chosen);
    if (!picked.empty()) std::snprintf(s.openModelInput, sizeof(s.openModelInput), "%s", picked.c_str());
    if (ImGui::Button("Open", ImVec2(120, 0)) || enter || chosen) {  // chosen: a double-click
      s.openModelPath = s.openModelInput;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120, 0)) || dialogEscPressed()) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

}  // namespace fieldscope
