// The seed plane widget (after the StyleGAN3 visualizer): a square over a 4x4-cell window of
// the seed lattice (seed = i + 100 j). Dragging the point blends the four neighbouring seeds'
// initial noises bilinearly -- the circles show their weights -- and the sample is drawn
// again when the point is released. Drawn with the window's draw list.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/domains/image/seed_plane.h"
#include "app/domains/image/view/sample_state.h"

namespace fieldscope {

void drawSeedPlane(SampleState& st) {
  constexpr float kSize = 216.0f, kMargin = 8.0f;  // lattice points on the edge stay visible
  constexpr int kCells = 4;
  constexpr float kCell = (kSize - 2 * kMargin) / kCells;
  SampleSpec& e = st.edit;
  double px, py;
  if (e.plane) {
    px = e.planeX;
    py = e.planeY;
  } else {
    std::tie(px, py) = seedPlanePoint(e.seed);
  }
  if (!st.planeDragging) {  // the window follows the point between drags
    st.planeOriginX = std::max(0.0, std::floor(px) - 1.0);
    st.planeOriginY = std::max(0.0, std::floor(py) - 1.0);
  }
  const double ox = st.planeOriginX, oy = st.planeOriginY;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##seedplane", ImVec2(kSize, kSize));
  if (ImGui::IsItemActive()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    px = std::clamp(ox + (m.x - p0.x - kMargin) / kCell, ox, ox + kCells);
    py = std::clamp(oy + (m.y - p0.y - kMargin) / kCell, oy, oy + kCells);
    e.plane = true;
    e.blend = false;
    e.planeX = px;
    e.planeY = py;
    st.planeDragging = true;
  }
  if (ImGui::IsItemDeactivated()) {
    st.planeDragging = false;
    if (e.plane) st.applyRequested = true;  // re-sample when released
  }
  auto at = [&](double x, double y) {
    return ImVec2(p0.x + kMargin + float((x - ox) * kCell), p0.y + kMargin + float((y - oy) * kCell));
  };

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + kSize, p0.y + kSize), IM_COL32(28, 28, 34, 255), 3.0f);
  for (int k = 0; k <= kCells; ++k) {
    dl->AddLine(at(ox + k, oy), at(ox + k, oy + kCells), IM_COL32(80, 80, 96, 255));
    dl->AddLine(at(ox, oy + k), at(ox + kCells, oy + k), IM_COL32(80, 80, 96, 255));
  }
  const SeedMix mix = seedPlaneMix(px, py);
  for (int k = 0; k < 4; ++k) {  // the four neighbours, sized by weight
    const auto [sx, sy] = seedPlanePoint(mix.seeds[k]);
    const float w = mix.weights[k];
    if (w <= 0.0f) continue;
    dl->AddCircleFilled(at(sx, sy), 3.0f + 11.0f * w, IM_COL32(90, 160, 255, int(80 + 150 * w)));
  }
  char label[32];
  for (int j = 0; j <= kCells; ++j)
    for (int i = 0; i <= kCells; ++i) {
      const uint64_t seed = uint64_t(ox + i) + uint64_t(oy + j) * kSeedPlaneStride;
      std::snprintf(label, sizeof(label), "%llu", (unsigned long long)seed);
      const ImVec2 q = at(ox + i, oy + j);
      dl->AddCircleFilled(q, 2.0f, IM_COL32(150, 150, 170, 255));
      if (i < kCells && j < kCells) {
        // Long seeds (6+ digits) are drawn smaller so that a label never runs into the next one.
        const float full = ImGui::CalcTextSize(label).x, room = float(kCell) - 6.0f;
        const float size = ImGui::GetFontSize() * std::min(1.0f, room / std::max(full, 1.0f));
        dl->AddText(ImGui::GetFont(), size, ImVec2(q.x + 3, q.y + 1), IM_COL32(150, 150, 170, 200), label);
      }
    }
  const ImVec2 q = at(px, py);
  dl->AddCircleFilled(q, 6.0f, IM_COL32(255, 196, 70, 255));
  dl->AddCircle(q, 6.0f, IM_COL32(20, 20, 20, 255), 0, 1.5f);

  if (e.plane) {
    ImGui::Text("(%.2f, %.2f): seed weight", e.planeX, e.planeY);
    for (int k = 0; k < 4; ++k) {  // two a line, so the panel keeps its width
      if (k % 2) ImGui::SameLine(110);
      ImGui::TextDisabled("%llu: %.2f", (unsigned long long)mix.seeds[k], mix.weights[k]);
    }
  } else {
    ImGui::TextDisabled("Drag the point to blend four seeds.");
  }
}

}  // namespace fieldscope
