#include "app/panels/side_panel.h"

#include <algorithm>

namespace fieldscope {
namespace {
ImVec2 gPos{0, 0}, gSize{300, 400};
}  // namespace

float sidePanelWidth(float windowWidth) {
  return windowWidth >= 1000 ? 320.f : std::max(240.f, 0.3f * windowWidth);
}

void setSidePanelArea(float x, float y, float width, float height) {
  gPos = ImVec2(x, y);
  gSize = ImVec2(std::max(width, 1.f), std::max(height, 1.f));
}

bool beginSidePanel(const char* title) {
  ImGui::SetNextWindowPos(gPos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(gSize, ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  const bool open = ImGui::Begin(title, nullptr,
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  return open;
}

}  // namespace fieldscope
