// Settings: the tile cache budget -- the atlas the decoded tiles live in (256 KB a tile).
// Applying rebuilds the atlas (GuiApp: waits for the GPU, drops queued decodes, tiles are
// decoded again). Kept in the session file with the rest of the session.
#include <imgui.h>

#include <algorithm>

#include "app/gui/pyramid_view.h"
#include "app/panels/ui_state.h"

namespace fieldscope {

void drawSettingsPanel(UiState& s) {
  if (!s.settings.show) return;
  SettingsState& st = s.settings;
  ImGui::SetNextWindowSize(ImVec2(380, 0), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2(20, 270), ImGuiCond_FirstUseEver);  // below Performance
  if (ImGui::Begin("Settings", &st.show, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted("Tile cache");
    ImGui::SetNextItemWidth(220);
    ImGui::SliderInt("##tilecache", &st.editTileCacheMB, ViewerSettings::kMinTileCacheMB, st.maxTileCacheMB, "%d MB",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
    st.editTileCacheMB = std::clamp(st.editTileCacheMB, ViewerSettings::kMinTileCacheMB, st.maxTileCacheMB);
    ImGui::TextDisabled("%d tiles of 256x256 (256 KB each)", PyramidView::slotsForMegabytes(st.editTileCacheMB));
    if (st.maxTileCacheMB < ViewerSettings::kMaxTileCacheMB)
      ImGui::TextDisabled("(this device's largest storage buffer: %d MB)", st.maxTileCacheMB);
    if (s.activeView) ImGui::TextUnformatted(s.activeView->memoryLine().c_str());
    ImGui::BeginDisabled(st.editTileCacheMB == st.tileCacheMB);
    if (ImGui::Button("Apply", ImVec2(110, 0))) st.applyRequested = true;
    ImGui::SameLine();
    if (ImGui::Button("Revert", ImVec2(110, 0))) st.editTileCacheMB = st.tileCacheMB;
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Default", ImVec2(110, 0))) st.editTileCacheMB = ViewerSettings::kDefaultTileCacheMB;
    ImGui::TextDisabled("Applying drops the cached tiles; they are decoded again.");
    ImGui::Separator();
    if (st.sessionPath.empty())
      ImGui::TextDisabled("Session: not saved (--no-session)");
    else
      ImGui::TextDisabled("Session: %s", st.sessionPath.c_str());
  }
  ImGui::End();
}

}  // namespace fieldscope
