// Sample panel: model (the shipped ones listed, or any file), seed (with dice), DDIM steps
// and eta, the seed grid, back/forward history, and latent blending between two seeds
// (slerp of their initial noises).
#include <imgui.h>

#include <filesystem>
#include <random>
#include <string>

#include "app/domains/image/view/sample_state.h"
#include "app/panels/side_panel.h"

namespace fieldscope {

namespace {
// The shipped models (assets/models); a click opens one.
void drawModelPicker(SampleState& s) {
  if (s.shippedModels.empty()) return;
  ImGui::TextDisabled("Shipped models");
  const std::string current = s.model ? std::filesystem::weakly_canonical(s.model->path).string() : "";
  for (const std::string& m : s.shippedModels) {
    const std::string name = std::filesystem::path(m).filename().string();
    if (ImGui::Selectable(name.c_str(), m == current) && m != current) s.openModelPath = m;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.c_str());
  }
}
}  // namespace

void drawSamplePanel(SampleState& st) {
  if (!beginSidePanel("Sample")) {
    ImGui::End();
    return;
  }
  drawModelPicker(st);
  ImGui::Text("Model: %s", st.model->describe().c_str());
  ImGui::Separator();

  SampleSpec& e = st.edit;
  ImGui::SetNextItemWidth(140);
  ImGui::InputScalar("Seed", ImGuiDataType_U64, &e.seed);
  ImGui::SameLine();
  if (ImGui::Button("Dice")) {
    std::random_device rd;
    e.seed = rd() % 1000000;
    e.blend = e.plane = false;
    st.applyRequested = true;
  }
  ImGui::SliderInt("Steps", &e.steps, 5, 200);
  ImGui::SliderFloat("Eta", &e.eta, 0.0f, 1.0f, "%.2f");
  if (ImGui::Button("Sample", ImVec2(120, 0))) {
    e.blend = e.plane = false;
    st.applyRequested = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Seed grid", ImVec2(120, 0))) st.gridRequested = true;
  if (st.gridMode) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Click a sample in the grid to open it.");
    ImGui::PopStyleColor();
  }
  if (ImGui::SmallButton("Copy seed")) st.copySeedRequested = true;
  ImGui::SameLine();
  if (ImGui::SmallButton("Copy command")) st.copyCommandRequested = true;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The command line that reproduces this view headless (fieldscope sample ...)");
  if (!st.copiedText.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Copied: %s", st.copiedText.c_str());
    ImGui::PopStyleColor();
  }
  if (!st.featuredSeeds.empty()) {  // the model card's picks: one click each
    ImGui::TextDisabled("Featured:");
    for (size_t i = 0; i < st.featuredSeeds.size(); ++i) {
      const std::string label = std::to_string(st.featuredSeeds[i]) + "##featured";
      if (i % 6 != 0) ImGui::SameLine();
      if (ImGui::SmallButton(label.c_str())) {
        e.seed = st.featuredSeeds[i];
        e.blend = e.plane = false;
        st.applyRequested = true;
      }
    }
  }

  ImGui::BeginDisabled(st.historyIndex <= 0);
  if (ImGui::ArrowButton("##back", ImGuiDir_Left)) {
    e = st.history[--st.historyIndex];
    st.applyRequested = true;
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(st.historyIndex + 1 >= int(st.history.size()));
  if (ImGui::ArrowButton("##forward", ImGuiDir_Right)) {
    e = st.history[++st.historyIndex];
    st.applyRequested = true;
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Text("history %d / %zu", st.historyIndex + 1, st.history.size());

  ImGui::Separator();
  ImGui::TextUnformatted("Blend (slerp of initial noises)");
  ImGui::SetNextItemWidth(140);
  ImGui::InputScalar("Seed B", ImGuiDataType_U64, &e.seedB);
  if (ImGui::SliderFloat("t", &e.t, 0.0f, 1.0f, "%.3f")) e.blend = true, e.plane = false;
  if (ImGui::IsItemDeactivatedAfterEdit()) st.applyRequested = true;  // re-sample when released
  if (ImGui::Button("Blend A -> B", ImVec2(120, 0))) {
    e.blend = true;
    e.plane = false;
    st.applyRequested = true;
  }
  ImGui::Checkbox("Animate", &st.animate);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  ImGui::SliderFloat("t/s", &st.animateSpeed, 0.02f, 1.0f, "%.2f");

  ImGui::Separator();
  if (ImGui::CollapsingHeader("Seed plane", ImGuiTreeNodeFlags_DefaultOpen)) drawSeedPlane(st);
  ImGui::End();
}

}  // namespace fieldscope
