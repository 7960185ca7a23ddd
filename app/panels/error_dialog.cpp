#include <imgui.h>

#include "app/panels/dialog_keys.h"
#include "app/panels/ui_state.h"

namespace fieldscope {

void drawErrorDialog(UiState& s) {
  if (s.errorTitle.empty()) return;
  ImGui::OpenPopup("Error##dialog");
  ImGui::SetNextWindowSize(ImVec2(520, 0), ImGuiCond_Appearing);
  if (ImGui::BeginPopupModal("Error##dialog", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", s.errorTitle.c_str());
    ImGui::Separator();
    ImGui::PushTextWrapPos(500.0f);
    ImGui::TextUnformatted(s.errorMessage.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button("OK", ImVec2(120, 0)) || dialogEscPressed() || dialogEnterPressed()) {
      s.errorTitle.clear();
      s.errorMessage.clear();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

}  // namespace fieldscope
