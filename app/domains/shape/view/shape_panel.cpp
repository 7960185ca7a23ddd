// The Shape panel (docs/architecture.md "The shape domain"): seed (dice), steps, Sample, the seed grid
// (nine samples side by side; a button per seed opens it), blend A -> B, history, import an OBJ
// (shown beside the model's encoding of it), export OBJ/PLY with progress and cancel, and the 3D
// view's controls (iso-level, clip plane, grid resolution, render mode).
#include <imgui.h>

#include <cstdio>
#include <random>

#include "app/domains/shape/mesh_export_job.h"
#include "app/domains/shape/view/shape_view.h"
#include "app/panels/side_panel.h"

namespace fieldscope {

void ShapeView::drawPanels(std::string& openFile) {
  (void)openFile;
  if (!beginSidePanel("Shape")) {
    ImGui::End();
    return;
  }
  ImGui::Text("Model: %s", session_->path().filename().string().c_str());
  if (session_->canSample()) {
    drawSampleSection();
  } else {
    ImGui::PushTextWrapPos(0.0f);  // the docked column's edge
    ImGui::TextDisabled("This file has no diffusion model (a shape VAE): it encodes meshes but cannot sample.");
    ImGui::PopTextWrapPos();
  }
  if (ImGui::CollapsingHeader("View", ImGuiTreeNodeFlags_DefaultOpen)) view3d_.drawControls();
  if (ImGui::CollapsingHeader("Import OBJ")) drawImportSection();
  drawExportSection();
  ImGui::End();
}

void ShapeView::drawSampleSection() {
  ShapeSpec& e = edit_;
  ImGui::SetNextItemWidth(140);
  ImGui::InputScalar("Seed", ImGuiDataType_U64, &e.seed);
  ImGui::SameLine();
  if (ImGui::Button("Dice")) {
    std::random_device rd;
    ShapeSpec s = e;
    s.kind = ShapeSpec::Kind::Seed;
    s.seed = rd() % 1000000;
    show(s);
  }
  ImGui::SliderInt("Steps", &e.steps, 5, 200);
  if (ImGui::Button("Sample", ImVec2(90, 0))) {
    ShapeSpec s = e;
    s.kind = ShapeSpec::Kind::Seed;
    show(s);
  }
  ImGui::SameLine();
  if (ImGui::Button("Next seed", ImVec2(90, 0))) {
    ShapeSpec s = e;
    s.kind = ShapeSpec::Kind::Seed;
    ++s.seed;
    show(s);
  }
  if (ImGui::Button("Seed grid", ImVec2(90, 0))) {
    ShapeSpec s = e;
    s.kind = ShapeSpec::Kind::Grid;
    show(s);
  }
  if (shown_.kind == ShapeSpec::Kind::Grid) {  // the seeds as they lie on screen (row 0 on top)
    ImGui::SameLine();
    ImGui::TextDisabled("open one:");
    for (int i = 0; i < ShapeSpec::kGridCols * ShapeSpec::kGridRows; ++i) {
      const ShapeSpec cell = shown_.gridCell(i);
      if (i % ShapeSpec::kGridCols != 0) ImGui::SameLine();
      if (ImGui::Button(std::to_string(cell.seed).c_str(), ImVec2(60, 0))) show(cell);
    }
  }
  ImGui::BeginDisabled(historyIndex_ <= 0);
  if (ImGui::ArrowButton("##back", ImGuiDir_Left)) show(history_[--historyIndex_], false);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(historyIndex_ + 1 >= int(history_.size()));
  if (ImGui::ArrowButton("##forward", ImGuiDir_Right)) show(history_[++historyIndex_], false);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Text("history %d / %zu", historyIndex_ + 1, history_.size());

  ImGui::TextUnformatted("Blend A -> B (slerp of initial noises)");
  ImGui::SetNextItemWidth(140);
  ImGui::InputScalar("Seed B", ImGuiDataType_U64, &e.seedB);
  ImGui::SliderFloat("t", &e.t, 0.0f, 1.0f, "%.3f");
  if (ImGui::IsItemDeactivatedAfterEdit()) {  // re-sample when the slider is released
    ShapeSpec s = e;
    s.kind = ShapeSpec::Kind::Blend;
    show(s);
  }
}

void ShapeView::drawImportSection() {
  ImGui::TextUnformatted("Your mesh (left) beside this model's encoding of it (right)");
  char buf[1024];
  std::snprintf(buf, sizeof buf, "%s", importPath_.c_str());
  ImGui::SetNextItemWidth(200);
  if (ImGui::InputText("##import", buf, sizeof buf)) importPath_ = buf;
  ImGui::SameLine();
  ImGui::BeginDisabled(importPath_.empty());
  if (ImGui::Button("Encode")) {
    ShapeSpec s;
    s.kind = ShapeSpec::Kind::Encoded;
    s.mesh = std::filesystem::absolute(importPath_).string();
    if (!std::filesystem::exists(s.mesh)) error_ = "cannot import '" + importPath_ + "': no such file";
    else show(s);
  }
  ImGui::EndDisabled();
}

void ShapeView::drawExportSection() {
  const bool busy = !exports_.empty();
  if (!ImGui::CollapsingHeader("Export mesh", busy ? ImGuiTreeNodeFlags_DefaultOpen : 0)) return;
  ImGui::BeginDisabled(busy);
  ImGui::RadioButton("OBJ", &exportFormat_, 0);
  ImGui::SameLine();
  ImGui::RadioButton("PLY", &exportFormat_, 1);
  ImGui::SetNextItemWidth(120);
  static const int kResolutions[] = {64, 128, 256, 384, 512, 768, 1024};
  if (ImGui::BeginCombo("Grid", (std::to_string(exportResolution_) + "^3").c_str())) {
    for (int r : kResolutions)
      if (ImGui::Selectable((std::to_string(r) + "^3").c_str(), r == exportResolution_)) exportResolution_ = r;
    ImGui::EndCombo();
  }
  char buf[1024];
  std::snprintf(buf, sizeof buf, "%s", exportPath_.c_str());
  ImGui::SetNextItemWidth(200);
  if (ImGui::InputText("File##mesh", buf, sizeof buf)) exportPath_ = buf;
  const std::filesystem::path target =
      std::filesystem::path(exportPath_).replace_extension(exportFormat_ == 0 ? ".obj" : ".ply");
  if (ImGui::Button("Export", ImVec2(90, 0))) {
    try {
      MeshExportRun run = startMeshExport(session_, shown_, exportResolution_, view3d_.iso(), target.string());
      exports_.add(run.progress, std::move(run.thread));
    } catch (const std::exception& ex) {
      error_ = ex.what();
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("at iso %.2f", view3d_.iso());
  if (busy) {
    auto& p = exports_.newest();
    ImGui::ProgressBar(float(p.fraction()), ImVec2(200, 0));
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) p.cancel = true;
    const double eta = p.etaSeconds();
    if (eta >= 0) ImGui::Text("about %.0f s left", eta);
  } else if (!lastExportMessage_.empty()) {
    ImGui::PushTextWrapPos(0.0f);  // the docked column's edge
    ImGui::TextUnformatted(lastExportMessage_.c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace fieldscope
