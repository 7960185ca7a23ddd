// Sample panel: model (the shipped ones listed, or any file), seed (with dice), DDIM steps
// and eta, the seed grid, back/forward history, and latent blending between two seeds
// (slerp of their initial noises); for a class-conditional model, the group to guide towards and
// the guidance scale (classifier-free guidance, issue 16).
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>

#include "app/domains/image/view/sample_state.h"
#include "app/panels/side_panel.h"
#include "model/image/image_model.h"

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
// Group and guidance of a class-conditional model; a change re-samples what is shown.
void drawGuidance(SampleState& st) {
  const DiffusionClasses& c = st.model->model->classes();
  SampleSpec& e = st.edit;
  constexpr const char* kAny = "any (per seed)";
  constexpr const char* kNone = "none (unguided)";
  const std::vector<std::string> groups = groupsOf(c);
  const std::string preview = e.group == kAnyClass                                    ? std::string(kAny)
                              : e.group <= kFirstGroup && validClassIndex(c, e.group) ? className(c, e.group) + " (any)"
                              : e.group < 0 || e.group >= int(c.names.size())         ? std::string(kNone)
                                                                                      : c.names[size_t(e.group)];
  bool changed = false;
  if (ImGui::BeginCombo("Group", preview.c_str())) {
    if (ImGui::Selectable(kAny, e.group == kAnyClass)) changed = e.group != kAnyClass, e.group = kAnyClass;
    // A finer class set (emoji subgroups) is listed under its groups; a group itself guides each
    // seed towards one of its classes.
    const std::string* heading = nullptr;
    for (size_t i = 0; i < c.names.size(); ++i) {
      if (!(c.shares[i] > 0)) continue;  // no training picture: nothing to guide towards
      if (i < c.parents.size() && (!heading || *heading != c.parents[i])) {
        heading = &c.parents[i];
        const int g = groupClass(int(std::find(groups.begin(), groups.end(), *heading) - groups.begin()));
        const std::string label = *heading + " (any)";
        if (ImGui::Selectable(label.c_str(), e.group == g)) changed = e.group != g, e.group = g;
      }
      if (heading) ImGui::Indent();
      if (ImGui::Selectable(c.names[i].c_str(), e.group == int(i))) changed = e.group != int(i), e.group = int(i);
      if (heading) ImGui::Unindent();
    }
    if (ImGui::Selectable(kNone, e.group == kNoClass)) changed = e.group != kNoClass, e.group = kNoClass;
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The %s the model is guided towards (classifier-free guidance)", c.kind.c_str());
  float w = e.guidance < 0 ? float(c.defaultGuidance) : e.guidance;
  ImGui::BeginDisabled(e.group == kNoClass);
  if (ImGui::SliderFloat("Guidance", &w, 0.0f, 8.0f, "%.1f")) e.guidance = w;
  if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("0: unguided; 1: the group's own samples; more: further towards what makes the group recognisable");
  ImGui::EndDisabled();
  if (changed) {
    e.blend = e.blend && !st.gridMode;
    (st.gridMode ? st.gridRequested : st.applyRequested) = true;
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
  if (st.model && st.model->model && !st.model->model->classes().empty()) drawGuidance(st);
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
