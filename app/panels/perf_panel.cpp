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
    ImGui::Text("%.1f fps, frame %.2f ms", s.fps, s.frameMs);
    if (!h.empty()) ImGui::PlotLines("##frames", h.data(), int(h.size()), 0, "frame ms", 0.0f, 66.0f, ImVec2(320, 60));
    if (s.composeGpuMs >= 0) ImGui::Text("compositor pass %.2f ms", s.composeGpuMs);
    const PyramidStats& p = s.pyramid;
    ImGui::Text("pyramid level %d, visible tiles %d/%d", p.level, p.visibleReady, p.visibleTiles);
    ImGui::Text("tile decode %.1f ms, queue %zu, decoded %llu", p.worker.lastTileMs, p.worker.queued,
                (unsigned long long)p.worker.tilesDecoded);
    ImGui::Text("exact view decode %.0f ms%s", p.worker.lastExactMs, p.exactShown ? " (shown)" : "");
    const double total = double(p.hits + p.misses);
    ImGui::Text("tile cache %.1f / %.1f MB (%d/%d tiles), hit rate %.0f%%", p.usedBytes / 1048576.0,
                p.atlasBytes / 1048576.0, p.cachedTiles, p.slots, total > 0 ? 100.0 * p.hits / total : 0.0);
    ImGui::SameLine();
    if (ImGui::SmallButton("budget...")) s.settings.show = true;
  }
  ImGui::End();
}

}  // namespace fieldscope
