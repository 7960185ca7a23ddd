#include <imgui.h>

#include "app/panels/ui_state.h"

namespace fieldscope {

void drawMenuBar(UiState& s) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open model...", "Ctrl+O")) s.openModelRequested = true;
    if (ImGui::MenuItem("Export PNG...", "Ctrl+E", false, !s.exporting.running)) s.exporting.dialogRequested = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) s.quitRequested = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Reset view", "Double-click / 0")) {
      s.zoomAnimator.cancel();
      s.view.reset();
      s.viewChanged = true;
    }
    ImGui::MenuItem("Performance", "F2", &s.showPerf);
    ImGui::MenuItem("Settings...", nullptr, &s.settings.show);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("About Fieldscope")) s.showAbout = true;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

}  // namespace fieldscope
