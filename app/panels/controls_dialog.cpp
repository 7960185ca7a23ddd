// Help > Controls: the mouse and keys of the viewport, as viewport_panel.cpp reads them.
#include <imgui.h>

#include "app/panels/dialog_keys.h"
#include "app/panels/ui_state.h"

namespace fieldscope {

namespace {
struct Control {
  const char* what;
  const char* how;
};
constexpr Control kControls[] = {
    {"Zoom in / out at the pointer", "mouse wheel,  + / -"},
    {"Pan (pictures, clips)", "drag (any button)"},
    {"Orbit (3D: shapes)", "left drag"},
    {"Pan (3D)", "right or middle drag, Shift + left drag"},
    {"Pan by a step", "arrow keys"},
    {"Reset the view", "double-click,  0"},
    {"Frame the object (3D)", "F"},
    {"Open a sample from the seed grid", "click it"},
    {"Open a model or picture", "Ctrl+O, or drop the file on the window"},
    {"Export", "Ctrl+E"},
    {"Performance panel", "F2"},
    {"Quit", "Ctrl+Q"},
    {"Close a dialog", "Esc (Enter confirms)"},
};
}  // namespace

void drawControlsDialog(UiState& s) {
  if (s.showControls) {
    ImGui::OpenPopup("Controls");
    s.showControls = false;
  }
  if (ImGui::BeginPopupModal("Controls", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    if (ImGui::BeginTable("##controls", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      for (const Control& c : kControls) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(c.what);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(c.how);
      }
      ImGui::EndTable();
    }
    if (ImGui::Button("Close", ImVec2(120, 0)) || dialogEscPressed() || dialogEnterPressed()) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

}  // namespace fieldscope
