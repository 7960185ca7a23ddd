#include <imgui.h>

#include <algorithm>

#include "app/panels/ui_state.h"

namespace fieldscope {

float drawStatusBar(UiState& s) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float h = ImGui::GetFrameHeight() + 6.0f;
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - h));
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x, h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 3));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin("##statusbar", nullptr, flags)) {
    ImGui::Text("%s | %s", s.deviceName.c_str(), s.backendName.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    const std::string rate = s.frameRate.text();
    ImGui::TextUnformatted(rate.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::TextUnformatted(s.viewStatus.c_str());
    if (!s.loadingLine.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("|");
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(0.5f, 0.8f, 1.0f, 1.0f), "%s", s.loadingLine.c_str());
    }
    if (!s.statusNote.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("|");
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "%s", s.statusNote.c_str());
    }
    // What the window's width cuts off is shown in full, one part a line, while the pointer is on
    // the bar (issue 15, item 4).
    if (ImGui::IsWindowHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(std::min(vp->Size.x * 0.8f, 720.0f));
      ImGui::TextWrapped("%s | %s", s.deviceName.c_str(), s.backendName.c_str());
      ImGui::TextWrapped("%s", rate.c_str());
      ImGui::TextWrapped("%s", s.viewStatus.c_str());
      if (!s.loadingLine.empty()) ImGui::TextWrapped("%s", s.loadingLine.c_str());
      if (!s.statusNote.empty()) ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "%s", s.statusNote.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
  return h;
}

}  // namespace fieldscope
