#include <imgui.h>

#include <cctype>
#include <filesystem>
#include <string>

#include "app/panels/ui_state.h"

namespace fieldscope {

void drawMenuBar(UiState& s) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open model or picture...", "Ctrl+O")) s.openModelRequested = true;
    if (ImGui::MenuItem("Import DDMI checkpoint...")) s.importing.dialogRequested = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The DDMI authors' released model-last.pt / ldm-last.pt as a Fieldscope model");
    if (ImGui::BeginMenu("Open recent", !s.recentFiles.empty())) {
      for (const std::string& f : s.recentFiles) {
        const std::string name = std::filesystem::path(f).filename().string() + "##" + f;
        if (ImGui::MenuItem(name.c_str())) s.openModelPath = f;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f.c_str());
      }
      ImGui::EndMenu();
    }
    // The active view's exports (PNG for 2D views; OBJ / MP4 where a domain offers them).
    for (const ExportKind& k : s.exporting.available) {
      std::string id = k.id;  // "Export PNG...", "Export OBJ...", "Export MP4..."
      for (char& c : id) c = char(std::toupper(static_cast<unsigned char>(c)));
      const std::string label = "Export " + id + "...";
      if (ImGui::MenuItem(label.c_str(), k.id == s.exporting.available.front().id ? "Ctrl+E" : nullptr, false,
                          !s.exporting.running)) {
        s.exporting.kind = k;
        s.exporting.dialogRequested = true;
      }
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) s.quitRequested = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Reset view", "Double-click / 0")) s.input.resetKey = true;
    ImGui::MenuItem("Performance", "F2", &s.showPerf);
    ImGui::MenuItem("Settings...", nullptr, &s.settings.show);
    ImGui::Separator();
    if (ImGui::MenuItem("Test pattern")) s.testPatternRequested = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The procedural field that checks the renderer (no model)");
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Controls...", "F1")) s.showControls = true;
    if (ImGui::MenuItem("About Fieldscope")) s.showAbout = true;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

}  // namespace fieldscope
