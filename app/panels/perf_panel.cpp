#include <imgui.h>

#include <vector>

#include "app/panels/ui_state.h"

namespace fieldscope {

void drawPerfPanel(UiState& s) {
  if (!s.showPerf) return;
  ImGui::SetNextWindowSize(ImVec2(340, 0), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2(20, 40), ImGuiCond_FirstUseEver);
  if (ImGui::Begin("Performance", &s.showPerf, ImGuiWindowFlags_AlwaysAutoResize)) {
    std::vector<float> h(s.frameHistory.begin(), s.frameHistory.end());
    ImGui::Text("%.1f fps, frame %.2f ms", s.frameRate.fps(), s.frameRate.ms());
    if (!h.empty()) ImGui::PlotLines("##frames", h.data(), int(h.size()), 0, "frame ms", 0.0f, 66.0f, ImVec2(320, 60));
    if (s.activeView) s.activeView->drawPerf();
    ImGui::SameLine();
    if (ImGui::SmallButton("budget...")) s.settings.show = true;
  }
  ImGui::End();
}

}  // namespace fieldscope
